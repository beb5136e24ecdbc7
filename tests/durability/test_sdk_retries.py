"""The SDK's retry policy: transport errors and 503 within a bounded window, never a 4xx."""

import time

import httpx
import pytest

from unspoken.client.api import Api
from unspoken.client.errors import UnspokenError


async def _api(
    answers: list[httpx.Response | Exception], window: float = 30.0
) -> tuple[Api, list[str]]:
    """An Api whose requests get `answers` in turn; the list of methods it saw."""
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    api = Api("http://unspoken.test", retry_window=window)
    await api._http.aclose()
    api._http = httpx.AsyncClient(
        transport=httpx.MockTransport(handle), base_url="http://unspoken.test"
    )
    return api, seen


def _busy() -> httpx.Response:
    body = {"type": "x", "title": "Database busy", "status": 503, "detail": "busy"}
    return httpx.Response(503, json=body, headers={"Retry-After": "0"})


async def test_a_503_is_retried_until_the_server_answers() -> None:
    api, seen = await _api([_busy(), _busy(), httpx.Response(201, json={"seq": 7})])
    assert await api.call("POST", "/v1/notebooks/n/pen/pass") == (201, {"seq": 7})
    assert (len(seen), api.retried) == (3, 2)
    await api.close()


async def test_a_4xx_is_never_retried() -> None:
    refusal = httpx.Response(409, json={"status": 409, "detail": "You do not hold the pen."})
    api, seen = await _api([refusal, httpx.Response(201)])
    with pytest.raises(UnspokenError) as refused:
        await api.call("POST", "/v1/notebooks/n/entries", {}, idempotent=True)
    assert refused.value.status == 409 and len(seen) == 1
    await api.close()


async def test_a_lost_answer_is_retried_only_where_a_retry_is_harmless() -> None:
    lost = httpx.ReadError("connection reset")
    api, seen = await _api([lost, httpx.Response(200, json={})])
    await api.call("POST", "/v1/notebooks/n/entries", {}, idempotent=True)
    assert len(seen) == 2
    await api.close()
    api, seen = await _api([lost, httpx.Response(200, json={})])
    with pytest.raises(httpx.ReadError):  # passing the pen twice is not the same as once
        await api.call("POST", "/v1/notebooks/n/pen/pass")
    assert len(seen) == 1
    await api.close()
    api, seen = await _api([httpx.ConnectError("refused"), httpx.Response(200, json={})])
    await api.call("POST", "/v1/notebooks/n/pen/pass")  # never sent: safe to send
    assert len(seen) == 2
    await api.close()


async def test_retries_end_with_the_window() -> None:
    api, seen = await _api([_busy() for _ in range(100)], window=0.5)
    began = time.monotonic()
    with pytest.raises(UnspokenError) as refused:
        await api.call("GET", "/v1/notebooks/n")
    assert refused.value.status == 503
    assert time.monotonic() - began < 5.0 and 2 <= len(seen) < 10
    await api.close()

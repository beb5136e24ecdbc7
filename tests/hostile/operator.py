"""A hostile operator: a real server behind a reverse proxy that rewrites what it answers.

The proxy forwards every request to the real `unspoken serve` and hands each record it sends
back — in a page of `GET …/records` or an event of the live stream — to the `plays` a test
installed, told which partner is asking (and the key wraps of `GET …/keys` to its
`wrap_plays`, any other JSON answer to its `answer_plays`). A play returns the records that
partner will see: the same, fewer (dropped, withheld), more (replayed, forged) or in another
order. Tokens are learned from the server's own answers when a notebook is created or joined,
as an operator would learn them.
"""

import contextlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

Record = dict[str, Any]
# (the partner asking, by member id or "" if unknown; one record) -> what that partner sees
Play = Callable[[str, Record], list[Record]]
# (the partner asking; the key wraps `GET …/keys` answers) -> the wraps that partner gets
WrapPlay = Callable[[str, list[Record]], list[Record]]
# (the path asked for; the JSON answer) -> the answer shown instead, for any other answer
AnswerPlay = Callable[[str, Any], Any]
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass
class Operator:
    upstream: str
    plays: list[Play] = field(default_factory=list)
    wrap_plays: list[WrapPlay] = field(default_factory=list)
    answer_plays: list[AnswerPlay] = field(default_factory=list)
    members: dict[str, str] = field(default_factory=dict)  # token -> member id
    url: str = ""

    def __post_init__(self) -> None:
        routes = [Route("/{path:path}", self._forward, methods=["GET", "POST", "PUT", "DELETE"])]
        self._app = Starlette(routes=routes, lifespan=self._lifespan)

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        timeout = httpx.Timeout(30, read=None)
        async with httpx.AsyncClient(base_url=self.upstream, timeout=timeout) as http:
            self._http = http
            yield

    def play(self, play: Play) -> None:
        self.plays.append(play)

    def play_wraps(self, play: WrapPlay) -> None:
        self.wrap_plays.append(play)

    def play_answers(self, play: AnswerPlay) -> None:
        self.answer_plays.append(play)

    def honest(self) -> None:
        self.plays.clear()
        self.wrap_plays.clear()
        self.answer_plays.clear()

    # --- what passes through ------------------------------------------------------------

    def _seen_by(self, request: Request) -> str:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        return self.members.get(token, "")

    def _rewrite(self, who: str, records: list[Record]) -> list[Record]:
        for play in self.plays:
            records = [shown for record in records for shown in play(who, record)]
        return records

    def _learn(self, body: Any) -> None:
        if isinstance(body, dict) and isinstance(body.get("token"), str) and "member_id" in body:
            self.members[body["token"]] = body["member_id"]

    async def _forward(self, request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = self._http.build_request(
            request.method,
            request.url.path,
            params=request.query_params,
            headers=headers,
            content=await request.body(),
        )
        answer = await self._http.send(upstream, stream=True)
        kept = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
        if answer.headers.get("content-type", "").startswith("text/event-stream"):
            return StreamingResponse(self._events(self._seen_by(request), answer), headers=kept)
        raw = await answer.aread()
        await answer.aclose()
        if answer.headers.get("content-type", "").startswith("application/json") and raw:
            body = json.loads(raw)
            self._learn(body)
            if isinstance(body, dict) and isinstance(body.get("records"), list):
                body["records"] = self._rewrite(self._seen_by(request), body["records"])
                raw = json.dumps(body).encode()
            if request.url.path.endswith("/keys") and isinstance(body.get("keys"), list):
                for play in self.wrap_plays:
                    body["keys"] = play(self._seen_by(request), body["keys"])
                raw = json.dumps(body).encode()
            for answer_play in self.answer_plays:
                body = answer_play(request.url.path, body)
                raw = json.dumps(body).encode()
        return Response(raw, status_code=answer.status_code, headers=kept)

    async def _events(self, who: str, answer: httpx.Response) -> AsyncIterator[bytes]:
        """The live stream, event by event; each record's event goes through the plays."""
        try:
            block: list[str] = []
            async for line in answer.aiter_lines():
                if line.startswith(":") and not block:  # a heartbeat comment
                    yield (line + "\n").encode()
                    continue
                if line:
                    block.append(line)
                    continue
                for out in self._event(who, block):
                    yield out
                block = []
        finally:
            await answer.aclose()

    def _event(self, who: str, block: list[str]) -> list[bytes]:
        data = "\n".join(line[5:].lstrip() for line in block if line.startswith("data:"))
        try:
            record = json.loads(data)
        except ValueError:
            return [("\n".join(block) + "\n\n").encode()]
        if "seq" not in record:  # a draft frame: not a record of the log
            return [("\n".join(block) + "\n\n").encode()]
        return [
            f"id: {shown['seq']}\nevent: {shown['kind']}\ndata: {json.dumps(shown)}\n\n".encode()
            for shown in self._rewrite(who, [record])
        ]

    # --- running -------------------------------------------------------------------------

    def start(self) -> "Operator":
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        config = uvicorn.Config(self._app, host="127.0.0.1", port=port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self._server.started:
            raise RuntimeError("the operator's proxy did not start")
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)

"""An append whose answer is lost after the server committed is retried and stored once.

A tiny TCP proxy on loopback sits between the SDK and a real server. When armed, it forwards a
request and hangs up the moment the server begins to answer: the server has committed (it
answers only after COMMIT), the SDK never hears so, and retries with the same entry id.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from unspoken.client import Notebook

CHUNK = 65536


@dataclass
class DroppingProxy:
    target_port: int
    drops: int = 0  # how many more entry answers to swallow
    answers: list[str] = field(default_factory=list)  # status of every entry answer, in order
    dropped: list[str] = field(default_factory=list)
    port: int = 0

    handlers: set[asyncio.Task[None]] = field(default_factory=set)

    async def handle(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        server, to_server = await asyncio.open_connection("127.0.0.1", self.target_port)
        request = bytearray()  # the request now on this connection (httpx does not pipeline)
        pumps = (
            asyncio.ensure_future(self._up(client, to_server, request)),
            asyncio.ensure_future(self._down(server, to_client, request)),
        )
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:  # either side hung up (or we did): close both
            for writer in (to_client, to_server):
                writer.close()
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)

    def track(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(self.handle(client, to_client))
        self.handlers.add(task)
        task.add_done_callback(self.handlers.discard)

    async def _up(
        self, client: asyncio.StreamReader, to_server: asyncio.StreamWriter, request: bytearray
    ) -> None:
        while chunk := await client.read(CHUNK):
            if chunk[:5] in (b"POST ", b"GET /", b"PUT /", b"DELET"):
                request[:] = chunk  # a new request begins
            to_server.write(chunk)
            await to_server.drain()

    async def _down(
        self, server: asyncio.StreamReader, to_client: asyncio.StreamWriter, request: bytearray
    ) -> None:
        while chunk := await server.read(CHUNK):
            if request.startswith(b"POST ") and b"/entries " in request.split(b"\r\n")[0]:
                status = chunk.split(b"\r\n")[0].decode()
                self.answers.append(status)
                if self.drops:
                    self.drops -= 1
                    self.dropped.append(status)
                    return  # hang up: the answer never reaches the client
                request.clear()
            to_client.write(chunk)
            await to_client.drain()


@contextlib.asynccontextmanager
async def proxy_to(url: str) -> AsyncIterator[DroppingProxy]:
    proxy = DroppingProxy(int(url.rsplit(":", 1)[1]))
    listening = await asyncio.start_server(proxy.track, "127.0.0.1", 0)
    proxy.port = listening.sockets[0].getsockname()[1]
    try:
        async with listening:
            yield proxy
    finally:
        for handler in list(proxy.handlers):
            handler.cancel()
        await asyncio.gather(*proxy.handlers, return_exceptions=True)


@pytest.mark.parametrize("drops", [1, 3])
async def test_a_lost_answer_is_retried_and_stored_once(live_server: Any, drops: int) -> None:
    async with proxy_to(live_server.url) as proxy:
        james = await Notebook.create(f"http://127.0.0.1:{proxy.port}", name="James")
        ella = await Notebook.join(james.invite_link, name="Ella")
        await james.approve_partner()
        await james.write("I never meant for things to end this way")
        proxy.drops = drops
        entry = await james.write("I thought I could handle it")
        # Committed, then lost; each retry is answered from the log (200), the last one heard.
        assert proxy.dropped == ["HTTP/1.1 201 Created"] + ["HTTP/1.1 200 OK"] * (drops - 1)
        assert proxy.answers[-1] == "HTTP/1.1 200 OK"
        assert james._api.retried >= drops
        read = await ella.read()
        assert [(e.seq, e.text) for e in read] == [
            (read[0].seq, "I never meant for things to end this way"),
            (entry.seq, "I thought I could handle it"),
        ]
        assert entry.seq == read[0].seq + 1  # no gap, no second copy
        for notebook in (james, ella):
            await notebook.close()

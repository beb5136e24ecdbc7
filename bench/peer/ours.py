"""Unspoken's side of the pattern: the SDK's `write` and live stream, as an app uses them."""

import asyncio
from collections.abc import Callable

from unspoken.client import Notebook


class UnspokenCouple:
    def __init__(self, writer: Notebook, reader: Notebook) -> None:
        self.writer, self.reader = writer, reader

    @classmethod
    async def make(cls, url: str, n: int) -> "UnspokenCouple":
        writer = await Notebook.create(url, name=f"W{n}")
        reader = await Notebook.join(writer.invite_link, name=f"R{n}")
        await writer.approve_partner()
        await writer.read()  # the app opens its notebook before the first timed write
        return cls(writer, reader)

    async def send(self, text: str) -> None:
        await self.writer.write(text)

    async def follow(self, heard: Callable[[str], None], ready: asyncio.Event) -> None:
        async for event in self.reader.events():
            ready.set()  # the replay (or a heartbeat) has arrived: the stream is live
            if event.entry is not None:
                heard(event.entry.text)

    async def close(self) -> None:
        await self.writer.close()
        await self.reader.close()

"""Just enough RESP (the Redis wire protocol) for one subscriber connection."""

import asyncio
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

Reply = bytes | int | str | list["Reply"] | None


class RedisReplyError(ConnectionError):
    """Redis answered with an error; the connection is started over."""


@dataclass(frozen=True)
class Address:
    host: str = "127.0.0.1"
    port: int = 6379
    path: str | None = None  # a unix socket
    tls: bool = False
    username: str | None = None
    password: str | None = None


def parse_url(url: str) -> Address:
    parts = urlsplit(url)
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    if parts.scheme == "unix":
        return Address(path=parts.path, username=username, password=password)
    return Address(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 6379,
        tls=parts.scheme == "rediss",
        username=username,
        password=password,
    )


async def connect(address: Address) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    if address.path is not None:
        reader, writer = await asyncio.open_unix_connection(address.path)
    else:
        context = ssl.create_default_context() if address.tls else None
        reader, writer = await asyncio.open_connection(address.host, address.port, ssl=context)
    if address.password is not None:
        words = [address.username, address.password] if address.username else [address.password]
        writer.write(command(b"AUTH", *(word.encode() for word in words if word is not None)))
        await writer.drain()
        await read_reply(reader)
    return reader, writer


def command(*args: bytes) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


async def read_reply(reader: asyncio.StreamReader) -> Reply:
    line = await reader.readuntil(b"\r\n")
    kind, body = line[:1], line[1:-2]
    if kind == b"$":
        size = int(body)
        return None if size < 0 else (await reader.readexactly(size + 2))[:-2]
    if kind == b"*":
        size = int(body)
        return None if size < 0 else [await read_reply(reader) for _ in range(size)]
    if kind == b":":
        return int(body)
    if kind == b"+":
        return body.decode()
    if kind == b"-":
        raise RedisReplyError(body.decode(errors="replace"))
    raise RedisReplyError(f"unexpected reply type {kind!r}")

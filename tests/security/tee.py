"""A TCP relay in front of a live server that keeps every byte the server sends back.

The browser talks to the relay as if it were the server (same host, so the Origin check
still holds), and a test can then scan each connection's answers — headers, bodies and the
live stream alike — for what must never be in them.
"""

import contextlib
import socket
import threading
from urllib.parse import urlsplit

_CHUNK = 65536


class Tee:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._answers: list[bytearray] = []
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def answers(self) -> list[bytes]:
        """What the server sent, one byte string per connection, in order of connection."""
        with self._lock:
            return [bytes(answer) for answer in self._answers]

    def close(self) -> None:
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            server = socket.create_connection(self._upstream)
            answer = bytearray()
            with self._lock:
                self._answers.append(answer)
                self._sockets += [client, server]
            for source, sink, record in ((client, server, None), (server, client, answer)):
                thread = threading.Thread(target=_pump, args=(source, sink, record), daemon=True)
                thread.start()
                self._threads.append(thread)


def _pump(source: socket.socket, sink: socket.socket, record: bytearray | None) -> None:
    """Copy until either side closes; keep a copy of what passes when asked to."""
    with contextlib.suppress(OSError):
        while data := source.recv(_CHUNK):
            if record is not None:
                record += data
            sink.sendall(data)
    with contextlib.suppress(OSError):
        sink.shutdown(socket.SHUT_WR)

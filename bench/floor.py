"""The physical floor on this machine: a loopback TCP round trip, one fsync, and the CPU
cost of the one thing every append must do (verify an Ed25519 signature)."""

import os
import socket
import threading
import time
from pathlib import Path

from bench.stats import summary

ROUNDS = 2000
FSYNCS = 200


def loopback_round_trip_ms(rounds: int = ROUNDS) -> dict[str, float]:
    """64 bytes there and back over 127.0.0.1 TCP, between two threads of this process."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def echo() -> None:
        conn, _ = server.accept()
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while data := conn.recv(64):
                conn.sendall(data)

    thread = threading.Thread(target=echo, daemon=True)
    thread.start()
    samples = []
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        payload = b"x" * 64
        for _ in range(rounds):
            start = time.perf_counter()
            client.sendall(payload)
            received = 0
            while received < len(payload):
                received += len(client.recv(64))
            samples.append((time.perf_counter() - start) * 1000)
    thread.join(5)
    server.close()
    return summary(samples[rounds // 10 :])  # the first tenth warms up


def fsync_ms(directory: Path, rounds: int = FSYNCS) -> dict[str, float]:
    """Append 4 KiB and fsync, in the directory the database lives in (same filesystem)."""
    path = directory / "fsync-probe"
    samples = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        block = os.urandom(4096)
        for _ in range(rounds):
            os.write(fd, block)
            start = time.perf_counter()
            os.fsync(fd)
            samples.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(fd)
        path.unlink()
    return summary(samples)


def ed25519_verify_ms(rounds: int = 500) -> dict[str, float]:
    """The server verifies each entry's signature, and the partner's device does again."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    message = os.urandom(600)
    signature, public = key.sign(message), key.public_key()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        public.verify(signature, message)
        samples.append((time.perf_counter() - start) * 1000)
    return summary(samples)

"""The client processes, driven in lock step: every command goes to all, answers merge."""

import multiprocessing
from typing import Any

from bench import worker

TIMEOUT_SECONDS = 600.0


class Clients:
    def __init__(self, servers: list[str], processes: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipes = []
        self._processes = []
        for k in range(processes):
            ours, theirs = context.Pipe()
            write_url, watch_url = servers[k % len(servers)], servers[(k + 1) % len(servers)]
            process = context.Process(
                target=worker.main, args=(theirs, k, write_url, watch_url), daemon=True
            )
            process.start()
            self._pipes.append(ours)
            self._processes.append(process)

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self._processes if process.pid is not None]

    @property
    def count(self) -> int:
        return len(self._pipes)

    def ask(self, command: str, **args: Any) -> list[dict[str, Any]]:
        """The same command, with the same arguments, to every client process."""
        return self.ask_each(command, [args] * self.count)

    def ask_each(self, command: str, each: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for pipe, args in zip(self._pipes, each, strict=True):
            pipe.send((command, args))
        answers = []
        for pipe in self._pipes:
            if not pipe.poll(TIMEOUT_SECONDS):
                raise TimeoutError(f"a client process did not finish {command!r}")
            answers.append(pipe.recv())
        failed = [a["failed"] for a in answers if "failed" in a]
        if failed:
            raise RuntimeError(f"{command} failed in a client process: {failed[0]}")
        return answers

    def split(self, total: int) -> list[int]:
        return [total // self.count + (k < total % self.count) for k in range(self.count)]

    def stop(self) -> None:
        for pipe in self._pipes:
            pipe.send(("stop", {}))
        for process in self._processes:
            process.join(30)
            if process.is_alive():
                process.kill()


def merge(answers: list[dict[str, Any]]) -> dict[str, Any]:
    """Lists concatenate, numbers add (seconds: the longest)."""
    merged: dict[str, Any] = {}
    for answer in answers:
        for key, value in answer.items():
            if key == "seconds":
                merged[key] = max(merged.get(key, 0.0), value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, int | float):
                merged[key] = merged.get(key, 0) + value
    return merged

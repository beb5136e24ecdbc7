"""Time and space, and chapters, from one partner's device: `nb.pauses` and `nb.chapters`
(called for the list, as `nb.chapters()`). Every text is sealed and signed here (aad kind
`item`); each answer is the server's notebook, handed back to the notebook that owns it."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Literal

from unspoken.client.api import Json, NotebookCalls
from unspoken.client.errors import TamperError
from unspoken.client.log import Log
from unspoken.client.models import Chapter, Pause
from unspoken.client.sealer import Sealer
from unspoken.client.templates import TEMPLATES

View = Callable[[], Json]  # the server's notebook as last seen


def _later(at: str) -> bool:
    """Whether a wire time (ISO 8601, UTC) is still to come on this device's clock."""
    return datetime.fromisoformat(at.replace("Z", "+00:00")) > datetime.now(UTC)


OnView = Callable[[Json], Awaitable[None]]  # take a fresh one


class Pauses:
    def __init__(
        self, calls: NotebookCalls, sealer: Sealer, log: Log, on_view: OnView, member_id: str
    ) -> None:
        self._calls = calls
        self._sealer = sealer
        self._log = log
        self._on_view = on_view
        self._member_id = member_id

    @property
    def state(self) -> Pause | None:
        """The pause in force, as the signed acts followed so far say (None when nobody asked
        for time, or when the time asked for has run out)."""
        pause = self._log.pause
        return pause if pause is not None and _later(pause.until) else None

    async def start(self, minutes: int, note: str | None = None) -> Pause:
        """ "I need time": 20 minutes to 24 hours; calling it again renews your own pause."""
        sealed = self._sealer.note("pause-note", note)
        asked = round(datetime.now(UTC).timestamp() * 1000)  # signed: when, on this clock
        body = {"minutes": minutes, "asked": asked, "note": sealed}
        current = self.state
        renews = current is not None and current.by == self._member_id
        kind = "pause.renewed" if renews else "pause.started"
        acted = [(kind, ("", f"{minutes}@{asked}", sealed["id"] if sealed else ""))]
        await self._on_view(await self._calls.act("/pause", acted, body))
        paused = self.state
        assert paused is not None  # noqa: S101 — the server just started it
        return paused

    async def be_here(self, note: str | None = None) -> None:
        """ "I'll be here": once per pause, by the partner who did not ask for time."""
        sealed = self._sealer.note("here-note", note)
        acted = [("pause.here", ("", "", sealed["id"] if sealed else ""))]
        await self._on_view(await self._calls.act("/pause/here", acted, {"note": sealed}))

    async def ready(self) -> None:
        """ "I'm ready to talk": ends your pause now, and tells your partner at once."""
        acted = [("pause.ended", ("", "ready", ""))]
        await self._on_view(await self._calls.act("/pause/ready", acted))

    def open_note(self, kind: Literal["pause-note", "here-note"], record: Json) -> str | None:
        """The text of a pause.started/renewed or pause.here record's note, verified."""
        note = record.get("note")
        return None if note is None else str(self._sealer.open(kind, note)["text"])


class Chapters:
    def __init__(
        self,
        calls: NotebookCalls,
        sealer: Sealer,
        view: View,
        on_view: OnView,
        log: Log,
    ) -> None:
        self._calls = calls
        self._sealer = sealer
        self._view = view
        self._on_view = on_view
        self._log = log  # the open chapter's number and state, as the signed acts say

    def _current(self) -> int:
        return self._log.chapter

    def __call__(self) -> list[Chapter]:
        """The chapters the server lists, up to the one the signed acts followed so far opened
        last; titles opened and checked here, and whether one is open as those acts say."""
        listed = self._view().get("chapters", [])
        return [self._chapter(raw) for raw in listed if raw["n"] <= self._log.chapter]

    async def close(self) -> None:
        """ "He closed the notebook gently": the open chapter becomes read-only."""
        n = str(self._current())
        acted = [("chapter.closed", (n, "", ""))]
        await self._on_view(await self._calls.act(f"/chapters/{n}/close", acted))

    async def new(
        self,
        title: str,
        template: str | None = None,
        mirror: bool = False,
        mode: Literal["turns", "open"] = "turns",
    ) -> Chapter:
        """Start the next chapter (closing the open one); title and template stay sealed."""
        if template is not None and template not in TEMPLATES:
            raise ValueError(f"unknown template {template!r}; known: {sorted(TEMPLATES)}")
        n = self._current() + 1
        body = {"title": title, "template": template, "mirror": mirror}
        meta = self._sealer.item("chapter", body, ref=str(n))
        acted: list[tuple[str, tuple[str, str, str]]] = []
        if self._log.chapter_open:  # it closes with the new one's opening
            acted.append(("chapter.closed", (str(n - 1), "", "")))
        acted.append(("chapter.opened", (str(n), mode, meta["id"])))
        chapter = {"n": n, "mode": mode, "mirror": mirror, "meta": meta}
        answer = await self._calls.act("/chapters", acted, chapter)
        await self._on_view(answer)
        return self()[-1]

    async def answer_mirror(self, answer: Literal["got-it", "more"]) -> None:
        """The writer's answer to the partner's restatement: "you got it" or "there's more"."""
        acted = [("mirror.answered", (str(self._current()), answer, ""))]
        await self._on_view(await self._calls.act("/mirror", acted, {"answer": answer}))

    def _chapter(self, raw: Json) -> Chapter:
        title = template = None
        if raw.get("meta") is not None:
            meta = self._sealer.open("chapter", raw["meta"], ref=str(raw["n"]))
            if meta["mirror"] != raw["mirror"]:
                raise TamperError("the server shows another mirror choice than the chapter's")
            title, template = meta["title"], meta.get("template")
        n = raw["n"]
        state = "open" if n == self._log.chapter and self._log.chapter_open else "closed"
        return Chapter(
            n,
            state,
            raw["mode"],
            raw["mirror"],
            title,
            template,
            raw["opened_at"],
            raw.get("closed_at"),
        )

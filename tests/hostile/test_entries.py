"""What a hostile operator tries with the words themselves, and what the partner's device does.

Every attack here must end in the SDK's TamperError (the device says the server cannot be
trusted), never in a line shown as the partner's that the partner did not write.
"""

import httpx
import pytest

from hostile.operator import Operator, Record
from unspoken.client import Notebook, TamperError
from unspoken.protocol.encoding import b64decode, b64encode
from unspoken.protocol.keys import DeviceKey

Couple = tuple[Notebook, Notebook]


async def _three_lines(ella: Notebook) -> None:
    for text in ("I never meant for things to end this way", "Nor did I", "Can we try?"):
        await ella.write(text)


def _flip(text: str) -> str:
    raw = bytearray(b64decode(text))
    raw[len(raw) // 2] ^= 0x01
    return b64encode(bytes(raw))


async def test_a_flipped_byte_in_a_line_is_refused(operator: Operator, couple: Couple) -> None:
    ella, james = couple
    await _three_lines(ella)
    operator.play(lambda who, r: [{**r, "ct": _flip(r["ct"])} if r["kind"] == "entry" else r])
    with pytest.raises(TamperError):
        await james.read()


async def test_a_dropped_line_is_noticed_even_when_renumbered(
    operator: Operator, couple: Couple
) -> None:
    ella, james = couple
    await _three_lines(ella)
    dropped: dict[str, int] = {}

    def drop_the_second(who: str, record: Record) -> list[Record]:
        if record["kind"] == "entry" and not dropped:
            dropped["seq"] = -1  # the first passes
            return [record]
        if record["kind"] == "entry" and dropped["seq"] == -1:
            dropped["seq"] = record["seq"]
            return []
        if "seq" in dropped and dropped["seq"] > 0:  # later records close the gap
            return [{**record, "seq": record["seq"] - 1}]
        return [record]

    operator.play(drop_the_second)
    with pytest.raises(TamperError):
        await james.read()


async def test_two_lines_swapped_are_noticed(operator: Operator, couple: Couple) -> None:
    ella, james = couple
    await _three_lines(ella)
    head: dict[str, Record] = {}

    def swap(who: str, record: Record) -> list[Record]:
        if record["kind"] != "entry":
            return [record]
        if not head:
            head["first"] = record
            return []
        first = head.pop("first") if "first" in head else None
        if first is None:
            return [record]
        return [{**record, "seq": first["seq"]}, {**first, "seq": record["seq"]}]

    operator.play(swap)
    with pytest.raises(TamperError):
        await james.read()


async def test_a_line_replayed_later_is_noticed(operator: Operator, couple: Couple) -> None:
    ella, james = couple
    await ella.write("I'm sorry")
    await ella.write("I mean it")
    replayed: list[Record] = []

    def replay(who: str, record: Record) -> list[Record]:
        if record["kind"] == "entry" and not replayed:
            replayed.append(record)
            return [record]
        if record["kind"] == "entry":
            return [{**replayed[0], "seq": record["seq"]}]  # the old line in the new one's place
        return [record]

    operator.play(replay)
    with pytest.raises(TamperError):
        await james.read()


async def test_a_line_the_server_wrote_itself_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """The server signs a line with a key of its own and names Ella's device as its author."""
    ella, james = couple
    await ella.write("I never meant for things to end this way")
    forger = DeviceKey.generate()

    def forge(who: str, record: Record) -> list[Record]:
        if record["kind"] != "entry":
            return [record]
        sig = forger.sign(b64decode(record["ct"]))
        return [{**record, "sig": b64encode(sig)}]

    operator.play(forge)
    with pytest.raises(TamperError):
        await james.read()


async def test_a_fork_by_omission_is_noticed_when_the_next_line_arrives(
    operator: Operator, couple: Couple
) -> None:
    """The server shows James a history without Ella's first line, then her second."""
    ella, james = couple
    await ella.write("What I said last night was unfair")
    await ella.write("Can we talk tonight?")
    hidden: list[int] = []

    def hide_from_james(who: str, record: Record) -> list[Record]:
        if who == james.member_id and record["kind"] == "entry" and not hidden:
            hidden.append(record["seq"])
            return []
        if who == james.member_id and hidden and record["seq"] > hidden[0]:
            return [{**record, "seq": record["seq"] - 1}]
        return [record]

    operator.play(hide_from_james)
    with pytest.raises(TamperError):
        await james.read()
    assert [e.text for e in await ella.read()] == [  # Ella's own view is whole
        "What I said last night was unfair",
        "Can we talk tonight?",
    ]


async def test_a_flipped_line_on_the_live_stream_is_refused(
    operator: Operator, couple: Couple
) -> None:
    ella, james = couple
    operator.play(lambda who, r: [{**r, "ct": _flip(r["ct"])} if r["kind"] == "entry" else r])
    await ella.write("Nor did I")
    with pytest.raises(TamperError):
        async for _event in james.events():
            pass


async def test_withholding_the_newest_line_shows_nothing_false(
    operator: Operator, couple: Couple
) -> None:
    """What a hostile server can still do: hold back the newest. The device shows what it has,
    all of it true, and the held line once it is let through."""
    ella, james = couple
    await ella.write("I need a few days")
    await ella.write("I'll be back on Sunday")
    newest = max(r["seq"] for r in _recorded(operator, ella))
    operator.play(lambda who, r: [] if who == james.member_id and r["seq"] >= newest else [r])
    assert [e.text for e in await james.read()] == ["I need a few days"]
    operator.honest()
    assert [e.text for e in await james.read()] == ["I need a few days", "I'll be back on Sunday"]


def _recorded(operator: Operator, nb: Notebook) -> list[Record]:
    """The records as the real server holds them, asked past the proxy."""
    token = next(t for t, m in operator.members.items() if m == nb.member_id)
    answer = httpx.get(
        f"{operator.upstream}/v1/notebooks/{nb.id}/records?after=0&limit=500",
        headers={"Authorization": f"Bearer {token}"},
    )
    records: list[Record] = answer.json()["records"]
    return records


@pytest.mark.parametrize(
    "change",
    [{"hash": "A" * 43}, {"seq": 99}],
    ids=["another hash", "a seq with a gap"],
)
async def test_a_writer_catches_a_server_that_misstates_its_entry(
    operator: Operator, couple: Couple, change: dict[str, object]
) -> None:
    """The server answers an append with a hash its chain does not have, or a seq after a gap:
    the writer's own device refuses to take its line at that place."""
    ella, _ = couple
    operator.play_answers(
        lambda path, answer: {**answer, **change} if path.endswith("/entries") else answer
    )
    with pytest.raises(TamperError):
        await ella.write("I thought I could handle it")

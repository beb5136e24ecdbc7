"""Crossing out a line through the SDK, on a real server: the writer signs the act, and the
partner's device, following the checked log, reads the line as it was, crossed out."""

import pytest

from unspoken.client import Notebook, UnspokenError


async def test_the_partner_reads_a_crossed_out_line(couple: tuple[Notebook, Notebook]) -> None:
    ella, james = couple
    first = await ella.write("I never listen")
    await ella.write("I meant: I do not always listen")
    await ella.cross_out(first.id)
    read = [(e.text, e.crossed) for e in await james.read()]
    assert read == [("I never listen", True), ("I meant: I do not always listen", False)]
    assert [(e.text, e.crossed) for e in await ella.read()] == read


async def test_only_the_writer_and_only_once(couple: tuple[Notebook, Notebook]) -> None:
    ella, james = couple
    hers = await ella.write("Mine to keep")
    with pytest.raises(UnspokenError) as theirs:
        await james.cross_out(hers.id)
    assert theirs.value.status == 403
    await ella.cross_out(hers.id)
    with pytest.raises(UnspokenError) as twice:
        await ella.cross_out(hers.id)
    assert twice.value.status == 409
    assert [(e.text, e.crossed) for e in await james.read()] == [("Mine to keep", True)]

"""Entries written by hand, as the server sees them: boxes like any other (it never opens one).
An entry whose ink is at the protocol's limits (docs/protocol.md, "Ink") fits one box; an ink
entry too large for a box is refused with a plain 413 and changes nothing."""

import json
import os
import zlib
from typing import Any

import httpx

from api.helpers import Book, aad, b64, new_id, paired, problem, seal, unb64
from unspoken.protocol.box import MAX_BOX
from unspoken.protocol.ink import MAX_BYTES


def _worst_ink() -> bytes:
    """The largest encoding the limits allow: MAX_BYTES that do not compress, deflated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(os.urandom(MAX_BYTES)) + packer.flush()


def _ink_entry(book: Book, prev: bytes, ink: bytes, text: str) -> dict[str, Any]:
    """An entry of type ink, its body as long as a writer's can be (seen, mirror)."""
    entry_id = new_id()
    additional = aad("entry", book.id, "1", entry_id, book.creator.id, prev)
    body = {
        "type": "ink",
        "ink": b64(ink),
        "text": text,
        "seen": {"seq": 2**53 - 1, "digest": b64(bytes(32))},
    }
    box = seal(book.ck, json.dumps(body, separators=(",", ":")).encode(), additional)
    sig = book.creator.sign(additional, box)
    return {"id": entry_id, "chapter": 1, "prev": b64(prev), "ct": b64(box), "sig": b64(sig)}


async def _state(http: httpx.AsyncClient, book: Book) -> tuple[Any, Any]:
    auth = book.creator.auth
    view = (await http.get(f"/v1/notebooks/{book.id}", headers=auth)).json()
    records = (await http.get(f"/v1/notebooks/{book.id}/records", headers=auth)).json()
    return view, records


async def test_an_ink_entry_at_the_limits_fits_one_box(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    view, _ = await _state(client, book)
    body = _ink_entry(book, unb64(view["head"]["hash"]), _worst_ink(), "")
    size = len(unb64(body["ct"]))
    assert size <= 53_537 < MAX_BOX  # as docs/protocol.md says: room left for a transcript
    url = f"/v1/notebooks/{book.id}/entries"
    answer = await client.post(url, json=body, headers=book.creator.auth)
    assert answer.status_code == 201, answer.text


async def test_an_ink_entry_too_large_for_a_box_is_refused_plainly(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    before = await _state(client, book)
    transcript = "I wrote it all by hand, and typed it out again. " * 300
    body = _ink_entry(book, unb64(before[0]["head"]["hash"]), _worst_ink(), transcript)
    assert len(unb64(body["ct"])) > MAX_BOX
    url = f"/v1/notebooks/{book.id}/entries"
    refused = problem(await client.post(url, json=body, headers=book.creator.auth), 413)
    assert refused["title"] == "Box too large"
    assert refused["detail"] == "The field 'ct' is larger than the 64 KiB a sealed box may be."
    assert await _state(client, book) == before

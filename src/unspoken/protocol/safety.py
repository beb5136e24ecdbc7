"""The safety phrase two partners compare once, in person, to know no one sits between them."""

import hashlib

from unspoken.protocol import vocabulary
from unspoken.protocol.encoding import lp

PHRASE_WORDS = 8

# 256 short, warm, distinct words, one file for both clients: one byte of the digest picks one.
WORDS: tuple[str, ...] = tuple(vocabulary.read("safety-words.json"))
if len(set(WORDS)) != 256:
    raise ValueError("the safety phrase needs 256 distinct words")


def safety_phrase(notebook_id: str, key_a: bytes, key_b: bytes, *more: bytes) -> str:
    """Eight words from every device key of both partners, sorted bytewise, so the order does
    not matter; with one device each this is the phrase of two keys, as it always was."""
    ordered = sorted((key_a, key_b, *more))
    digest = hashlib.sha256(lp("unspoken/v1/safety", notebook_id, *ordered)).digest()
    return " ".join(WORDS[byte] for byte in digest[:PHRASE_WORDS])

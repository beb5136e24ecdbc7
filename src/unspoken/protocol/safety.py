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
    return " ".join(_distinct_words(digest))


def _distinct_words(digest: bytes) -> list[str]:
    """The words the digest's bytes pick, in order, a word already picked skipped: eight
    different words are easier to read aloud and compare ("hazel voyage hazel" was not). A phrase
    without a repeat in its first eight bytes is what it always was. Should the 32 bytes run out,
    the digest of the digest goes on."""
    chosen: list[str] = []
    stream = digest
    while True:
        for byte in stream:
            if WORDS[byte] not in chosen:
                chosen.append(WORDS[byte])
                if len(chosen) == PHRASE_WORDS:
                    return chosen
        stream = hashlib.sha256(stream).digest()

"""What the gentle check's model reads in a piece of text: words, word pairs and triples, and
the letters inside words.

The same steps, character for character, are in static/js/gentle/features.js; the shared
vectors (tests/vectors/gentle-model.json) keep the two equal. Nothing here needs numpy: a text
becomes a dict from feature to how many times it counts, and the model a dict from feature to
weights. Every feature counts once, except a run of letters (c:), which counts once for each
different word holding it: so a word's own features are always the same, and a scorer can
add up each different word once, from a cache (model.py).
"""

import re
from collections.abc import Iterator

# ASCII and Latin-1 capitals to lower case, one code point for one, so no index moves; curly
# apostrophes and quotes to straight ones. Unicode-wide lower-casing differs between engines.
_FOLD = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_FOLD.update({code: chr(code + 32) for code in range(0xC0, 0xDF) if code != 0xD7})
_FOLD.update({0x152: "\u0153", 0xC6: "\u00e6"})
_FOLD.update({ord(c): "'" for c in "\u2019\u2018\u02bc\u2032"})
_FOLD.update({ord(c): '"' for c in "\u201c\u201d\u201e\u00ab\u00bb"})

LETTERS = "a-z0-9\u00e0-\u00f6\u00f8-\u00ff\u0153\u00e6"
TOKEN = re.compile(f"[{LETTERS}]+(?:'[{LETTERS}]+)*|[?!]")
SENTENCE = re.compile("[^.!?\u2026\\n]+[.!?\u2026]*")
CLAUSE = re.compile("[^,;:\u2014\u2013]+")
CHAR_SIZES = (3, 4, 5)
# How many words a text holds, in buckets (n:): a closed door is short, a paragraph is long.
LENGTHS = (1, 2, 3, 5, 8, 12, 20, 35)
# White space trimmed from a span's ends: spelled out, as engines disagree on the rest of Unicode.
SPACE = " \t\n\r\f\v\u00a0"


def fold(text: str) -> str:
    return text.translate(_FOLD)


def tokens(folded: str) -> list[str]:
    return TOKEN.findall(folded)


def features(folded: str) -> dict[str, int]:
    """The features of a folded text and how many times each counts: n: its length in words,
    s: its opening word and pair, w: words, b: pairs, t: triples (once each), c: letters
    inside words (once per different word holding them)."""
    words = tokens(folded)
    found = {length_feature(len(words)): 1}
    if words:  # how the text opens: "oh", "well done", "how could"
        found["s:" + words[0]] = 1
        if len(words) > 1:
            found["s:" + words[0] + " " + words[1]] = 1
    for word in dict.fromkeys(words):
        for feature in word_features(word):
            found[feature] = found.get(feature, 0) + 1
    for i in range(1, len(words)):
        found["b:" + words[i - 1] + " " + words[i]] = 1
        if i >= 2:
            found["t:" + words[i - 2] + " " + words[i - 1] + " " + words[i]] = 1
    return found


def word_features(word: str) -> list[str]:
    """One word's own features, each once: w:<word> and its letter runs."""
    return ["w:" + word, *dict.fromkeys(letter_features(word))]


def length_feature(count: int) -> str:
    """n:<bucket>, the largest of LENGTHS not above the number of words (n:0 for none)."""
    bucket = 0
    for size in LENGTHS:
        if count >= size:
            bucket = size
    return f"n:{bucket}"


def letter_features(word: str) -> list[str]:
    """The c: features of one word: runs of 3-5 letters, the word padded with a space."""
    if word in ("?", "!"):
        return []
    padded = " " + word + " "
    last = len(padded)
    return [
        "c:" + padded[start : start + size]
        for size in CHAR_SIZES
        for start in range(0, last - size + 1)
    ]


def spans(pattern: re.Pattern[str], text: str, offset: int = 0) -> Iterator[tuple[int, int]]:
    """Stretches of `text` matched by `pattern`, trimmed of white space, as absolute indices."""
    for match in pattern.finditer(text):
        start, end = match.span()
        while start < end and text[start] in SPACE:
            start += 1
        while end > start and text[end - 1] in SPACE:
            end -= 1
        if end > start:
            yield offset + start, offset + end

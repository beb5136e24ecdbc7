"""Writes tests/gentle/vectors.json from the Python check: review the diff before keeping it.

    .venv/bin/python tests/gentle/make_vectors.py

Each text is here for a reason (the comment beside it); the browser must agree exactly.
"""

import json
from pathlib import Path

from unspoken.gentle import check

TEXTS = [
    # the issue's own examples, each way
    "You always leave your dishes in the sink for me to deal with.",
    "You always make me laugh.",
    "I never want to lose you.",
    "You never listen to me.",
    "I'm feeling overwhelmed, can we take twenty minutes and come back to this?",
    "It's not my fault.",
    "It's not your fault.",
    "What's wrong with you?",
    "You're so selfish.",
    "Oh, poor you.",
    "Wow, real mature.",
    "You're pathetic.",
    "Yes, but you said it was fine.",
    "What about the time you forgot my birthday?",
    "Whatever.",
    "Fine.",
    "I'm done talking.",
    "Leave me alone.",
    # guards: quotes, reported speech, negation, questions, breaks, continuations
    'When you said "whatever" and walked away, I felt shut out.',
    "When you said “whatever” and walked away, I felt shut out.",
    "He said leave me alone, and I did.",
    "I'm not saying you're selfish, I'm saying I felt alone.",
    "Do you always take the bus on Tuesdays?",
    "Why do you always take the bus?",
    "You never complain, and I love that.",
    "You never have to apologise for crying.",
    "You always make me laugh, even on the worst days.",
    "You're the one I want.",
    "You're the one who wanted this.",
    "Fine, let's try.",
    "Fine. Let's try.",
    "I'm done. Let's talk again at eight.",
    "I need a break. Leave me alone for an hour and then we'll talk.",
    "Leave it to me.",
    "Don't talk to me like that.",
    "Don't talk to me.",
    "I was busy, and I'm sorry, that's no excuse.",
    "I was busy, okay?",
    "Sure you were working late.",
    "Are you sure you were working late?",
    "When the kids grow up we'll travel.",
    "Grow up.",
    "Nice going, genius.",
    "You're a genius.",
    # rewrites with a captured behaviour
    "You never call when you say you will.",
    "Why can't you ever be on time?",
    "You're always on your phone at dinner.",
    # several findings, in order; overlaps give way
    "Whatever. You never listen. It's not my fault you forgot.",
    "Oh sure, because you're always so perfect.",
    "Well, you never told me it mattered.",
    # case, apostrophes and Unicode: spans count code points
    "YOU ALWAYS DO THIS.",
    "You’re so selfish and I’m done.",
    "😀 You always do this 👍 whatever.",
    "Ella 💔 you never listen. 🙃🙃 Fine.",
    "🏳️‍🌈 Leave me alone.",
    "İ ı ſ K: you never listen.",
    "ſo what. You're ſo ſelfish.",
    "Line one\nwhatever\n\nyou always forget",
    "",
    "   ",
    "?!.",
]

VECTORS = Path(__file__).with_name("vectors.json")


def main() -> None:
    cases = [{"text": t, "findings": [f.to_dict() for f in check(t)]} for t in TEXTS]
    VECTORS.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} vectors, {sum(len(c['findings']) for c in cases)} findings")


if __name__ == "__main__":
    main()

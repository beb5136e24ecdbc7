"""Guided chapter templates. Their names travel only inside the sealed chapter box."""

AFTER_A_FIGHT = (
    ("feelings", "Share how you felt, one feeling word at a time, without explaining why yet."),
    ("realities", "Describe what you saw, heard and needed — your reality, not a verdict."),
    ("triggers", "Name what the moment reminded you of: the older hurt that made it bigger."),
    ("responsibility", "Say what part was yours, and what set you up for it."),
    ("plan", "Each of you: one thing that would make it go better next time."),
)

TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {"after-a-fight": AFTER_A_FIGHT}

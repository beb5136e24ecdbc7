"""The one way a rule says no: a code, never words.

What a refusal is called, which HTTP status it answers with and how it is explained in English
live in one table at the edge (api/refusals.py); the browser words it from the code's `type`.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class Refusal(StrEnum):
    """Why a command is refused. The part before any ':' is the problem's `type` on the wire
    (urn:unspoken:problem:<type>) and the browser's key for its words (problems.<type>); the
    part after tells apart refusals of one type that are explained differently."""

    @property
    def type(self) -> str:
        return self.value.partition(":")[0]

    # Nothing there (or nothing the caller may see)
    NOT_FOUND = "not-found"  # the notebook
    NO_MEMBER = "not-found:member"
    NO_INVITE = "not-found:invite"
    NO_INVITE_HERE = "not-found:invite-here"
    NO_LINK = "not-found:link"
    NO_LINK_OF_YOURS = "not-found:link-of-yours"
    NO_DEVICE_OF_YOURS = "not-found:device-of-yours"
    NO_PROMISE = "not-found:promise"
    NO_AGREEMENT = "not-found:agreement"
    NO_ENTRY = "not-found:entry"
    # Ids
    ID_IN_USE = "id-in-use"  # a unique id a concurrent write took first
    NOTEBOOK_ID_IN_USE = "id-in-use:notebook"
    MEMBER_ID_IN_USE = "id-in-use:member"
    INVITE_ID_IN_USE = "id-in-use:invite"
    LINK_ID_IN_USE = "id-in-use:link"
    ENTRY_ID_IN_USE = "id-in-use:entry"
    PROMISE_ID_IN_USE = "id-in-use:promise"
    AGREEMENT_ID_IN_USE = "id-in-use:agreement"
    DEVICE_IN_USE = "device-in-use"
    # Signed acts (protocol v2)
    ACT_UNSIGNED = "act-unsigned"
    ACT_MALFORMED = "act-unsigned:malformed"
    ACT_MISMATCH = "act-mismatch"
    # Who may act
    CREATOR_ONLY = "creator-only"
    WAITING_FOR_APPROVAL = "waiting-for-approval"
    PARTNER_HAS_LEFT = "partner-has-left"
    NO_PARTNER_YET = "no-partner-yet"
    NO_PARTNER_FOR_PEN = "no-partner-yet:pen"
    # Pairing
    NOT_WAITING = "not-waiting"
    NOTEBOOK_SEALED = "notebook-sealed"
    SOMEONE_IS_WAITING = "someone-is-waiting"
    NEW_KEYS_FIRST = "new-keys-first"
    CLAIM_DOES_NOT_MATCH = "claim-does-not-match"  # an invite's
    LINK_CLAIM_DOES_NOT_MATCH = "claim-does-not-match:link"
    INVITE_USED = "invite-used"
    INVITE_REVOKED = "invite-revoked"
    INVITE_EXPIRED = "invite-expired"
    # Devices and key epochs
    PARTNER_FIRST = "partner-first"
    LINK_USED = "link-used"
    LINK_CLOSED = "link-closed"
    LINK_MOVED = "link-moved"
    NOBODY_WAITING = "nobody-waiting"
    THIS_DEVICE = "this-device"
    ALREADY_PUBLISHED = "already-published"
    EXCHANGE_KEY_MISSING = "exchange-key-missing"
    NEW_KEYS = "new-keys"
    KEYS_FOR_EVERY_DEVICE = "keys-for-every-device"
    NOT_THE_NEXT_EPOCH = "not-the-next-epoch"
    # Writing
    NOT_YOUR_TURN = "not-your-turn"
    WRONG_CHAPTER = "wrong-chapter"  # an entry's
    WRONG_CHAPTER_FOR_DRAFT = "wrong-chapter:draft"
    NOT_THE_LATEST_CHAPTER = "wrong-chapter:latest"
    NOT_THE_NEXT_CHAPTER = "wrong-chapter:next"
    CHAPTER_CLOSED = "chapter-closed"
    NOT_ON_THE_LATEST_ENTRY = "not-on-the-latest-entry"
    TOO_MANY_DRAFT_FRAMES = "too-many-draft-frames"
    # The pen
    NO_PEN = "no-pen"
    NO_PEN_TO_ASK_FOR = "no-pen:ask"
    YOU_HOLD_THE_PEN = "you-hold-the-pen"
    ASKED_RECENTLY = "asked-recently"
    SAME_MODE = "same-mode"
    # Mirror-before-reply
    NO_MIRROR_HERE = "no-mirror-here"
    NOTHING_TO_MIRROR = "nothing-to-mirror"
    MIRROR_FIRST = "mirror-first"
    WAITING_FOR_YOUR_PARTNER = "waiting-for-your-partner"
    NO_MIRROR_TO_ANSWER = "no-mirror-to-answer"
    # Pauses
    PAUSE_OUT_OF_RANGE = "pause-out-of-range"
    CLOCK_IS_OFF = "clock-is-off"
    PARTNER_ASKED_FOR_TIME = "partner-asked-for-time"
    NO_PAUSE = "no-pause"
    YOUR_OWN_PAUSE = "your-own-pause"
    ALREADY_HERE = "already-answered:pause"
    NOT_YOUR_PAUSE = "not-your-pause"
    # Promises
    NOT_YOURS_TO_ACKNOWLEDGE = "not-yours-to-acknowledge"
    ALREADY_ANSWERED = "already-answered"  # a promise
    NOT_YOUR_PROMISE = "not-your-promise"
    TOO_LATE_TO_WITHDRAW = "too-late-to-withdraw"
    NOT_YOURS_TO_MARK = "not-yours-to-mark"
    NOT_ACKNOWLEDGED_YET = "not-acknowledged-yet"
    ALREADY_MARKED = "already-marked"
    # Agreements
    YOUR_OWN_PROPOSAL = "your-own-proposal"
    ALREADY_AGREED = "already-agreed"
    YOUR_OWN_WORDS = "your-own-words"
    ALREADY_SAID_NOT_YET = "already-said-not-yet"
    WORDS_CHANGED = "words-changed"
    # Crossing out a line
    NOT_YOUR_ENTRY = "not-your-entry"
    ALREADY_CROSSED = "already-crossed"


class RuleViolation(Exception):
    """A command the rules refuse, and why (`code`).

    `extra` is shown to the caller as it is (what it needs to try again: the head, the pen);
    `says` fills the blanks of the code's explanation; `retry_after` (seconds) is set when
    asking again later will work (a rate limit).
    """

    def __init__(
        self,
        code: Refusal,
        extra: Mapping[str, Any] | None = None,
        retry_after: int | None = None,
        **says: Any,
    ) -> None:
        super().__init__(code.value)
        self.code = code
        self.extra: Mapping[str, Any] = dict(extra or {})
        self.retry_after = retry_after
        self.says: Mapping[str, Any] = says

    def __repr__(self) -> str:
        return f"RuleViolation({self.code.value!r})"

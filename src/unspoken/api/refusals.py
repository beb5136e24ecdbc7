"""Every refusal of the rules as the API says it: its HTTP status, title and English detail.

The one table from a rule's code (rules/refusals.py) to words. The problem's `type` comes from
the code; its title slugs to the same (tests/api/test_refusals.py holds them together), and the
browser words each type in every language (tests/test_catalogues.py).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from unspoken.rules.refusals import Refusal, RuleViolation

Detail = str | Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class Words:
    status: int
    title: str
    detail: Detail  # "{name}" blanks are filled from the refusal's `says`


@dataclass(frozen=True)
class Said:
    """A refusal put in words, for one answer."""

    type: str
    status: int
    title: str
    detail: str


def _ask_again(says: Mapping[str, Any]) -> str:
    minutes = says["minutes"]
    return f"You can ask again in {minutes} {'minute' if minutes == 1 else 'minutes'}."


R = Refusal
_NOT_FOUND, _ID_IN_USE, _WRONG_CHAPTER = "Not found", "Id in use", "Wrong chapter"
WORDS: Mapping[Refusal, Words] = {
    R.NOT_FOUND: Words(404, _NOT_FOUND, "There is no such notebook."),
    R.NO_MEMBER: Words(404, _NOT_FOUND, "There is no such member in this notebook."),
    R.NO_INVITE: Words(404, _NOT_FOUND, "There is no such invite."),
    R.NO_INVITE_HERE: Words(404, _NOT_FOUND, "There is no such invite in this notebook."),
    R.NO_LINK: Words(404, _NOT_FOUND, "There is no such device link."),
    R.NO_LINK_OF_YOURS: Words(404, _NOT_FOUND, "There is no such device link of yours."),
    R.NO_DEVICE_OF_YOURS: Words(
        404, _NOT_FOUND, "There is no such device of yours in this notebook."
    ),
    R.NO_PROMISE: Words(404, _NOT_FOUND, "There is no such promise in this notebook."),
    R.NO_AGREEMENT: Words(404, _NOT_FOUND, "There is no such agreement in this notebook."),
    R.NO_ENTRY: Words(404, _NOT_FOUND, "There is no such line in this notebook."),
    R.ACT_UNSIGNED: Words(
        428,
        "Act unsigned",
        "This needs your device's signature over what it does (the Unspoken-Act header); "
        "reload the app and try again.",
    ),
    R.ACT_MALFORMED: Words(
        428,
        "Act unsigned",
        "The Unspoken-Act header is not <seen seq>.<seen digest>.<signature>, in base64url.",
    ),
    R.ACT_MISMATCH: Words(
        409,
        "Act mismatch",
        "Your device signed something other than what this would do now; the notebook may "
        "have just changed. Look again and try once more.",
    ),
    R.ID_IN_USE: Words(409, _ID_IN_USE, "This id is already taken."),
    R.NOTEBOOK_ID_IN_USE: Words(409, _ID_IN_USE, "This notebook id is already taken."),
    R.MEMBER_ID_IN_USE: Words(409, _ID_IN_USE, "This member id is already used in this notebook."),
    R.INVITE_ID_IN_USE: Words(409, _ID_IN_USE, "This invite id is already taken."),
    R.LINK_ID_IN_USE: Words(409, _ID_IN_USE, "This device link id is already taken."),
    R.ENTRY_ID_IN_USE: Words(
        409,
        _ID_IN_USE,
        "This entry id is already used in this notebook for another entry; "
        "only the very same entry may be sent again under it.",
    ),
    R.PROMISE_ID_IN_USE: Words(
        409, _ID_IN_USE, "This promise id is already used in this notebook."
    ),
    R.AGREEMENT_ID_IN_USE: Words(
        409, _ID_IN_USE, "This agreement id is already used in this notebook."
    ),
    R.DEVICE_IN_USE: Words(409, "Device in use", "This device is already in this notebook."),
    R.CREATOR_ONLY: Words(403, "Creator only", "Only the notebook's creator can do this."),
    R.WAITING_FOR_APPROVAL: Words(
        403, "Waiting for approval", "You can read and write once you have been let in."
    ),
    R.PARTNER_HAS_LEFT: Words(
        409,
        "Partner has left",
        "Your partner has left this notebook. You can still read and export it, "
        "but nothing more can be added.",
    ),
    R.NO_PARTNER_YET: Words(
        409, "No partner yet", "This needs your partner, and they have not joined yet."
    ),
    R.NO_PARTNER_FOR_PEN: Words(
        409, "No partner yet", "There is nobody to pass the pen to until your partner joins."
    ),
    R.NOT_WAITING: Words(409, "Not waiting", "This member is not waiting to be let in."),
    R.NOTEBOOK_SEALED: Words(
        409, "Notebook sealed", "This notebook is already sealed at two members."
    ),
    R.SOMEONE_IS_WAITING: Words(
        409, "Someone is waiting", "Someone else is already waiting to be let in."
    ),
    R.NEW_KEYS_FIRST: Words(
        409,
        "New keys first",
        "The person you turned away saw this notebook's key. Begin a new key epoch "
        "before making a new invite.",
    ),
    R.CLAIM_DOES_NOT_MATCH: Words(
        403, "Claim does not match", "This invite link is not complete or not correct."
    ),
    R.LINK_CLAIM_DOES_NOT_MATCH: Words(
        403, "Claim does not match", "This device link is not complete or not correct."
    ),
    R.INVITE_USED: Words(410, "Invite used", "This invite has already been used."),
    R.INVITE_REVOKED: Words(410, "Invite revoked", "This invite was withdrawn by its creator."),
    R.INVITE_EXPIRED: Words(410, "Invite expired", "This invite has expired; ask for a new one."),
    R.PARTNER_FIRST: Words(
        409,
        "Partner first",
        "A second device can be added once your partner has joined the notebook.",
    ),
    R.LINK_USED: Words(
        410, "Link used", "This device link was used, withdrawn or has expired; make a new one."
    ),
    R.LINK_CLOSED: Words(409, "Link closed", "This device link is no longer waiting."),
    R.LINK_MOVED: Words(409, "Link moved", "Another device claimed this link meanwhile."),
    R.NOBODY_WAITING: Words(409, "Nobody waiting", "No new device has opened this link yet."),
    R.THIS_DEVICE: Words(
        409,
        "This device",
        "This is the device you are using. Revoke it from another of your devices.",
    ),
    R.ALREADY_PUBLISHED: Words(
        409, "Already published", "This device published its exchange key already."
    ),
    R.EXCHANGE_KEY_MISSING: Words(
        409,
        "Exchange key missing",
        "A device has not published its exchange key yet, so a new key cannot reach it. "
        "Open the notebook on that device once, then try again.",
    ),
    R.NEW_KEYS: Words(
        409,
        "New keys",
        "This notebook moved to key epoch {epoch}; seal what you write with its key.",
    ),
    R.KEYS_FOR_EVERY_DEVICE: Words(
        409,
        "Keys for every device",
        "A new key must be wrapped once for every remaining device of both partners, "
        "and for no other.",
    ),
    R.NOT_THE_NEXT_EPOCH: Words(409, "Not the next epoch", "The next key epoch is {next}."),
    R.NOT_YOUR_TURN: Words(409, "Not your turn", "Your partner holds the pen right now."),
    R.WRONG_CHAPTER: Words(
        409, _WRONG_CHAPTER, "Entries go into chapter {chapter}, the open chapter."
    ),
    R.WRONG_CHAPTER_FOR_DRAFT: Words(
        409, _WRONG_CHAPTER, "Drafts go into chapter {chapter}, the open chapter."
    ),
    R.NOT_THE_LATEST_CHAPTER: Words(
        409, _WRONG_CHAPTER, "Chapter {chapter} is the latest chapter."
    ),
    R.NOT_THE_NEXT_CHAPTER: Words(409, _WRONG_CHAPTER, "The next chapter is chapter {next}."),
    R.CHAPTER_CLOSED: Words(
        409,
        "Chapter closed",
        "Chapter {chapter} is closed and read-only; start a new chapter to write.",
    ),
    R.NOT_ON_THE_LATEST_ENTRY: Words(
        409,
        "Not on the latest entry",
        "Something new was written first; seal the entry on top of the current head.",
    ),
    R.TOO_MANY_DRAFT_FRAMES: Words(
        429,
        "Too many draft frames",
        "Send at most {per_second} draft frames a second; the partner still sees the latest one.",
    ),
    R.NO_PEN: Words(409, "No pen", "In open mode nobody holds the pen."),
    R.NO_PEN_TO_ASK_FOR: Words(409, "No pen", "In open mode you can both write; no need to ask."),
    R.YOU_HOLD_THE_PEN: Words(409, "You hold the pen", "You already hold the pen."),
    R.ASKED_RECENTLY: Words(429, "Asked recently", _ask_again),
    R.SAME_MODE: Words(409, "Same mode", "This chapter is already in {mode} mode."),
    R.NO_MIRROR_HERE: Words(
        409, "No mirror here", "This chapter does not use mirror-before-reply."
    ),
    R.NOTHING_TO_MIRROR: Words(
        409, "Nothing to mirror", "There is nothing of your partner's to restate right now."
    ),
    R.MIRROR_FIRST: Words(
        409,
        "Mirror first",
        "Before you reply, restate what you understood of your partner's words.",
    ),
    R.WAITING_FOR_YOUR_PARTNER: Words(
        409,
        "Waiting for your partner",
        "Your partner has not yet said whether you got it; you can reply once they have.",
    ),
    R.NO_MIRROR_TO_ANSWER: Words(
        409, "No mirror to answer", "There is no restatement waiting for your answer."
    ),
    R.PAUSE_OUT_OF_RANGE: Words(
        422,
        "Pause out of range",
        "A pause lasts from 20 minutes to 24 hours (1440 minutes).",
    ),
    R.CLOCK_IS_OFF: Words(
        422,
        "Clock is off",
        "Your device's clock is more than 5 minutes from the server's; set it right, then ask "
        "for time again.",
    ),
    R.PARTNER_ASKED_FOR_TIME: Words(
        409,
        "Partner asked for time",
        "Your partner asked for time until {until:%H:%M} UTC. You can draft meanwhile; your "
        "drafts are kept, and you can say you'll be here.",
    ),
    R.NO_PAUSE: Words(409, "No pause", "Nobody has asked for time right now."),
    R.YOUR_OWN_PAUSE: Words(
        409, "Your own pause", "You asked for this time; your partner is the one to answer."
    ),
    R.ALREADY_HERE: Words(
        409, "Already answered", "You have already said you'll be here during this pause."
    ),
    R.NOT_YOUR_PAUSE: Words(
        409, "Not your pause", "Only the partner who asked for time can end it early."
    ),
    R.NOT_YOURS_TO_ACKNOWLEDGE: Words(
        409,
        "Not yours to acknowledge",
        "Only the partner a promise was made to can acknowledge it.",
    ),
    R.ALREADY_ANSWERED: Words(409, "Already answered", "This promise is already {state}."),
    R.NOT_YOUR_PROMISE: Words(
        409, "Not your promise", "Only the partner who made a promise can withdraw it."
    ),
    R.TOO_LATE_TO_WITHDRAW: Words(
        409,
        "Too late to withdraw",
        "A promise can be withdrawn only before it is acknowledged; "
        "after that, your partner can release you from it.",
    ),
    R.NOT_YOURS_TO_MARK: Words(
        409, "Not yours to mark", "Only the partner a promise was made to can mark it."
    ),
    R.NOT_ACKNOWLEDGED_YET: Words(
        409, "Not acknowledged yet", "Acknowledge the promise before you mark it."
    ),
    R.ALREADY_MARKED: Words(409, "Already marked", "This promise is already {state}."),
    R.YOUR_OWN_PROPOSAL: Words(
        409, "Your own proposal", "You proposed this; your partner's signature completes it."
    ),
    R.ALREADY_AGREED: Words(409, "Already agreed", "You have both signed this agreement already."),
    R.YOUR_OWN_WORDS: Words(
        403,
        "Your own words",
        "These are your own words; only your partner can say not yet to them.",
    ),
    R.ALREADY_SAID_NOT_YET: Words(
        409,
        "Already said not yet",
        "You already said not yet to these words; sign them or propose other words.",
    ),
    R.WORDS_CHANGED: Words(
        409,
        "Words changed",
        "Other words were proposed a moment ago; read them before you sign.",
    ),
    R.NOT_YOUR_ENTRY: Words(
        403, "Not your entry", "Only the partner who wrote a line can cross it out."
    ),
    R.ALREADY_CROSSED: Words(409, "Already crossed", "This line is crossed out already."),
}


def said(refusal: RuleViolation) -> Said:
    """The refusal in words: its type, status, title, and detail with its blanks filled."""
    words = WORDS[refusal.code]
    detail = words.detail
    text = detail(refusal.says) if callable(detail) else detail.format(**refusal.says)
    return Said(refusal.code.type, words.status, words.title, text)

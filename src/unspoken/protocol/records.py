"""The kinds of the notebook's records and what each means to a client, from the data file the
browser reads too (web/static/vocabulary/records.json; docs/protocol.md, "Records").

Each kind is a constant named after it: `from unspoken.protocol.records import PAUSE_STARTED`
is "pause.started". A name the file does not hold fails the import, so a misspelt kind cannot
slip through as a string that matches nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from unspoken.protocol import vocabulary


@dataclass(frozen=True)
class KindInfo:
    refreshes: bool  # the server's view of the notebook changed: fetch it again
    note: bool  # shown on the pages as a note in the margin
    news: bool  # earns the partner a wordless "something new" notice
    kept: bool  # printed in the keepsake
    clears_knock: bool  # answers a knock for the pen
    commitment: bool  # changes a promise or an agreement
    trust: bool  # changes the devices a client trusts
    sealed: Mapping[str, str]  # field -> item kind of the words sealed in it


def constant_name(kind: str) -> str:
    """ "pause.started" -> "PAUSE_STARTED"."""
    return kind.upper().replace(".", "_")


_DATA = vocabulary.read("records.json")
KINDS: Mapping[str, KindInfo] = MappingProxyType(
    {
        kind: KindInfo(**{**info, "sealed": MappingProxyType(info["sealed"])})
        for kind, info in _DATA["kinds"].items()
    }
)
# Why a client refuses a record of the log: code -> the words both clients use.
REFUSALS: Mapping[str, str] = MappingProxyType(_DATA["refusals"])

REFRESHES = frozenset(kind for kind, info in KINDS.items() if info.refreshes)
NEWS = frozenset(kind for kind, info in KINDS.items() if info.news)
TRUST = frozenset(kind for kind, info in KINDS.items() if info.trust)
# The acts on a promise or an agreement: its history, named by the record's "promise" or
# "agreement" field.
COMMITMENT = frozenset(kind for kind, info in KINDS.items() if info.commitment)

_BY_NAME = {constant_name(kind): kind for kind in KINDS}


def __getattr__(name: str) -> str:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise AttributeError(f"no record kind is named {name}") from None

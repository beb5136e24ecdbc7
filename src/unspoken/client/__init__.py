"""The Python SDK: `Notebook.create`, `Notebook.join`, and what a partner does with one."""

from unspoken.client.errors import TamperError, UnspokenError
from unspoken.client.models import Entry, Event, Member
from unspoken.client.notebook import Notebook

__all__ = ["Entry", "Event", "Member", "Notebook", "TamperError", "UnspokenError"]

"""Where notebooks live: a Store protocol and its SQLite implementation."""

from unspoken.store.base import Store
from unspoken.store.sqlite import SqliteStore

__all__ = ["SqliteStore", "Store"]

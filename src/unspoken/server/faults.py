"""When the store itself fails (a full disk, a lost database, a store shutting down): what the
edge needs to answer 503 instead of 500, without reaching into the store."""

from unspoken.store.faults import Fault, fault_of
from unspoken.store.writer import StoreClosed

__all__ = ["Fault", "StoreClosed", "fault_of"]

"""The notebook's keys on one device: every epoch's notebook key it holds, and the content keys
made from them (docs/protocol.md, "Key epochs"). Pure: the notebook fetches, this opens."""

from collections.abc import Mapping

from unspoken.client.api import Json
from unspoken.client.errors import TamperError
from unspoken.protocol import devices, exchange, keys
from unspoken.protocol.encoding import b64decode
from unspoken.protocol.errors import ProtocolError


class Keyring:
    def __init__(self, notebook_id: str, notebook_keys: Mapping[int, bytes]) -> None:
        self.notebook_id = notebook_id
        self.notebook_keys: dict[int, bytes] = {}
        self.content: dict[int, bytes] = {}  # epoch -> content key: what seals and opens
        self.add(notebook_keys)

    def add(self, notebook_keys: Mapping[int, bytes]) -> None:
        for epoch, key in notebook_keys.items():
            self.notebook_keys[epoch] = key
            self.content[epoch] = keys.content_key(key, self.notebook_id)

    def __contains__(self, epoch: object) -> bool:
        return epoch in self.notebook_keys

    @property
    def epoch(self) -> int:
        """The newest key epoch held; what this device seals in."""
        return max(self.notebook_keys)

    def open_wraps(
        self,
        wraps: list[Json],
        registry: devices.DeviceRegistry,
        mine: exchange.ExchangeKey,
        device_id: str,
    ) -> None:
        """Take the epoch keys wrapped for this device that it does not hold yet, each for an
        epoch the log has announced and signed by the device that began it, trusted then.
        A wrap for an epoch not announced yet waits (the log may not have reached it); one
        that breaks those rules is refused and never sealed under."""
        began = max(registry.began, default=0)
        for wrap in wraps:
            epoch = wrap["epoch"]
            if epoch in self:
                continue
            if epoch not in registry.began and epoch > began:
                continue  # taken when the log reaches the epoch's start
            try:
                by = registry.wrapper(epoch, wrap["by"])
                place = (self.notebook_id, epoch, device_id)
                key = exchange.unwrap_epoch_key(
                    mine, place, b64decode(wrap["wrap"]), b64decode(wrap["sig"]), by
                )
            except ProtocolError as exc:
                raise TamperError(f"epoch {epoch}: {exc}") from exc
            self.add({epoch: key})

"""What the SDK raises."""


class UnspokenError(Exception):
    """The server refused a request; `detail` is its plain-language reason."""

    def __init__(self, status: int, detail: str, problem: dict[str, object] | None = None) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.problem = problem or {}


class TamperError(Exception):
    """Something the server sent does not verify: a signature, the chain, or a pairing MAC.

    `reason` names a refusal of the log (static/vocabulary/records.json, the same as the
    browser's) when a record of it was refused."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason

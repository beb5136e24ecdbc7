"""The one error the protocol raises: input that is not what protocol v1 says."""


class ProtocolError(ValueError):
    """Bytes or text that do not follow protocol v1 (bad encoding, a box that will not open)."""

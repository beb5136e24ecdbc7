"""Protocol v1: pure functions shared, byte for byte, with the browser (see docs/protocol.md)."""

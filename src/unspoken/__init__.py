"""Unspoken: a private, end-to-end encrypted notebook for two."""

__version__ = "0.1.0"
__all__ = ["__version__"]

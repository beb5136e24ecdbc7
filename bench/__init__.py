"""The load benchmark: real SDK clients over loopback HTTP against `unspoken serve`.

`python -m bench` (or `make bench`) runs it; see docs/performance.md for what it measures.
"""

"""How a serving process keeps the cyclic garbage collector out of the way of live requests.

CPython stops the whole process for each collection, and a full collection walks every
container object alive. In a server with 1,000 live streams that is ~310,000 objects and a
~140–170 ms stall every few seconds under load: the tail of every latency. Two settings, both
measured (docs/performance.md):

- what importing and building the app made (~130,000 objects: modules, classes, FastAPI's and
  SQLAlchemy's tables) lives as long as the process, so it is moved out of the collector's
  reach once (`gc.freeze`), and no collection walks it again;
- the young generation is collected after 50,000 new container objects rather than 700: a
  request's objects are freed by reference counting, so what the collector finds is mostly
  in-flight requests, which a frequent collection promotes to the old generation, making full
  collections come sooner. Cyclic garbage then waits a little longer (a few MB at most).
"""

import gc

YOUNG_THRESHOLD = 50_000


def settle_for_serving() -> None:
    """Call once, after the app is built and before serving."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)

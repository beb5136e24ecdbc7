"""The application: what the server does, between HTTP (api/) and its parts (store, broker,
push). One way to commit a unit of work and publish it (services.py, writes.py), the reads
handlers need (reads.py), this process's live streams (live.py) and the background sweeper."""

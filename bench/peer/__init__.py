"""`make bench-peer`: Unspoken beside a Matrix homeserver (Synapse), driven the same way.

Two figures, each for both servers in one run: an idle couple's delivery time (write called →
the partner's live stream yields the entry) and the appends per second of couples writing as
fast as each append is durable. Synapse is installed into a throw-away folder under `build/`,
never into the project's environment. docs/performance.md, "Beside a peer".
"""

"""The sync engine: talks to the server (httpx), pulls into the replica, pushes the outbox.

No Qt here: the desktop app drives it from a worker and shows progress; the CLI runs it too.
"""

PROTOCOL_VERSION = 1

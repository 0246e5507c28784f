"""The bucket checksum of docs/sync-protocol.md, shared by the client and the server.

One implementation, in the pure domain core (``app.domain.checksum``, which the server
imports); re-exported here for the replica. XOR of the first 8 bytes of
``sha256("entity\\x1fkey\\x1fposition")`` over a bucket's live rows, as 16 hex digits.
"""

from __future__ import annotations

from app.domain.checksum import fold, row_hash

__all__ = ["fold", "row_hash"]

"""The sync endpoints: incremental pull of a caller's buckets and at-most-once push."""

PROTOCOL_VERSION = 1
MIN_PROTOCOL_VERSION = 1

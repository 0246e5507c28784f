"""The change log that sync reads: per-bucket, commit-ordered positions and tombstones."""

"""The desktop's local replica: synced rows, the outbox, local carts and catalog search.

Kept import-free on purpose: the server imports ``app.store.checksum`` and must not pull in
SQLAlchemy models through this package. Import ``app.store.replica.Replica`` directly.
"""

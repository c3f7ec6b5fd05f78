"""
The event log: every fact bridge records as a frozen, past-tense event type, the codec between
events and canonical JSON, and the hash-chained, append-only stores (SQLite, in memory) with the
snapshots kept beside the log.

A layer above :mod:`bridge.plan` only, and the only one that touches SQLite.
"""

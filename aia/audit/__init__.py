"""The append-only, hash-chained event log, and its verification."""

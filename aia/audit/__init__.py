"""The append-only, hash-chained event log. It knows events and ids, not what they are about."""

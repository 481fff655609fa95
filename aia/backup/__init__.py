"""Backups that move between database kinds: ``aia backup FILE`` and ``aia restore FILE``.

An archive is a gzipped tar file holding ``manifest.json`` (format, format version, the schema
revision, and per table its row count and the SHA-256 of its file), one ``tables/<name>.jsonl``
per table (one JSON object a row, tables in the order their foreign keys need) and the stored
reports, ``reports/<sha256>.pdf``. Nothing in it depends on SQLite or PostgreSQL.
"""

"""Outgoing mail: a message is an outbox row written in the transaction of the action that
causes it (so an action that rolls back sends nothing), delivered by the job queue after the
commit, kept and tried again with a growing wait while the mail server cannot be reached.

The package knows no domain: the caller names the kind of message, the address, the language
and the plain values the message shows (see ``kinds``)."""

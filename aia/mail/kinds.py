"""The kinds of message the app sends: each has a subject and two templates,
``mail/<kind>.txt`` and ``mail/<kind>.html``. Messages about one's own account are sent
whatever the person chose for notifications."""

from __future__ import annotations

from ..i18n import _l

SUBJECTS = {
    "password_reset": _l("Choose a new password"),
    "invitation": _l("You are invited to %(agency)s's impact assessments"),
    "revision_submitted": _l("Revision %(number)s of %(system)s awaits a decision"),
    "changes_requested": _l("Changes requested to revision %(number)s of %(system)s"),
    "revision_approved": _l("Revision %(number)s of %(system)s approved"),
    "revision_published": _l("Revision %(number)s of %(system)s published"),
    "revision_withdrawn": _l("Revision %(number)s of %(system)s withdrawn"),
    "comment_replied": _l("%(by)s replied to a comment on revision %(number)s of %(system)s"),
    "feedback_received": _l("A message from the public about %(system)s"),
    "feedback_answered": _l("%(agency)s answered your message about %(system)s"),
}
ACCOUNT_KINDS = frozenset({"password_reset", "invitation"})
# What the administrators' outbox calls each kind and each state of a message.
KIND_LABELS = {
    "password_reset": _l("Password reset link"),
    "invitation": _l("Invitation"),
    "revision_submitted": _l("Revision submitted"),
    "changes_requested": _l("Changes requested"),
    "revision_approved": _l("Revision approved"),
    "revision_published": _l("Revision published"),
    "revision_withdrawn": _l("Revision withdrawn"),
    "comment_replied": _l("Reply to a comment"),
    "feedback_received": _l("Message from the public"),
    "feedback_answered": _l("Answer to a message from the public"),
}
STATE_LABELS = {
    "queued": _l("Waiting"),
    "sending": _l("Sending"),
    "sent": _l("Accepted by the server"),
    "failed": _l("Failed"),
}
# What went wrong with a message's last attempt, as the outbox says it (``failure``); the
# server's own words follow. The kinds marked permanent are not tried again.
FAILURE_LABELS = {
    "address": _l("The address is not one that can receive mail. It is not tried again."),
    "recipient_refused": _l("The mail server refused this address for good. It is not tried again."),
    "message_refused": _l("The mail server refused this message for good. It is not tried again."),
    "refused_for_now": _l("The mail server refused the message for now. It is tried again."),
    "unreachable": _l("The mail server could not be reached. It is tried again."),
    "server_setup": _l(
        "The mail server refused this server's sender or sign-in: check the mail settings. It is tried again."
    ),
    "error": _l("The message could not be put together. It is tried again."),
}
PERMANENT_FAILURES = frozenset({"address", "recipient_refused", "message_refused"})

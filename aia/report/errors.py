"""Why a report could not be made or served. Each carries a message an operator can act on."""

from __future__ import annotations


class ReportError(Exception):
    """A report could not be made or served; ``str(error)`` says why, in plain words."""

    status_code = 500
    title = "The report could not be made"


class ReportTooLarge(ReportError):
    """The revision's text is over the limits a report is rendered from."""

    status_code = 413
    title = "Too large for a report"


class ReportRenderFailed(ReportError):
    """The renderer ran out of time or memory, or stopped with an error."""

    status_code = 503
    title = "The report could not be made"


class ReportOutOfMemory(ReportRenderFailed):
    """The renderer needed more memory than its limit (``AIA_REPORT_MEMORY_MB``) allows."""


class ReportUnsafe(ReportError):
    """The renderer was asked to load something other than the app's own assets."""


class StoredReportError(ReportError):
    """The published PDF is not in the store as it was written."""

    # Not a fault of the code: the report cannot be served until an operator restores the
    # file, so the service is unavailable for it.
    status_code = 503
    title = "The stored report is missing or altered"


class StoredReportMissing(StoredReportError):
    pass


class StoredReportAltered(StoredReportError):
    pass


class ReportStoreUnavailable(ReportError):
    """The report store would not take a report: full, read-only or not writable. Nothing was
    published; the message says which, without the store's path (the log has it)."""

    status_code = 503
    title = "The report could not be stored"

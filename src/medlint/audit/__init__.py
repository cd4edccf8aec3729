"""Site audits: aggregate a whole site's lint results into one report people read.

``SiteAudit`` consumes ``FileResult``s as they stream from the engine and keeps memory bounded;
``medlint.audit.render`` turns the finished summary into HTML, JSON, CSV or text.
"""

from medlint.audit.aggregate import (
    CSV_FIELDS,
    SCORE_DEFINITION,
    PageRow,
    SiteAudit,
    file_context,
    page_score,
)

__all__ = ["CSV_FIELDS", "SCORE_DEFINITION", "PageRow", "SiteAudit", "file_context",
           "page_score"]

"""One chronological view of everything that happened to a candidate, across apps.

Each app lists the entries of its own records; this module gathers them in one list. A source
returns the entries for one candidate with a fixed number of queries.
"""

from django.utils.translation import gettext_lazy

from assessments import records as management
from candidates import timeline as files
from candidates.timeline import TimelineEntry
from mentorship import records as cultivation

SOURCES = (
    ("pool", gettext_lazy("pool status"), files.pool_events),
    ("contact", gettext_lazy("contact"), files.contact_entries),
    ("policy", gettext_lazy("policy item"), files.policy_entries),
    ("mentoring", gettext_lazy("mentoring"), cultivation.mentoring_entries),
    ("plan", gettext_lazy("growth plan"), cultivation.plan_entries),
    ("post", gettext_lazy("post placement"), cultivation.placement_entries),
    ("secondment", gettext_lazy("secondment"), cultivation.secondment_entries),
    ("course", gettext_lazy("training course"), cultivation.course_entries),
    ("assessment", gettext_lazy("key-task assessment"), management.assessment_entries),
    ("review", gettext_lazy("look-back review"), management.review_entries),
    ("decision", gettext_lazy("decision"), management.decision_entries),
)


def kinds() -> list[tuple[str, str]]:
    return [(kind, str(label)) for kind, label, _ in SOURCES]


def for_candidate(candidate, kind: str | None = None) -> list[TimelineEntry]:
    entries = [
        entry for source, _, entries_of in SOURCES if not kind or source == kind for entry in entries_of(candidate)
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)

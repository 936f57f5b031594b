"""One chronological view of everything that happened to a candidate, across apps.

Each app registers a provider in its AppConfig.ready(); a provider returns the entries
for one candidate with a fixed number of queries. The candidates app does not import
the apps that build on it: they come to it through this registry.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone


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

"""The township to-do list (待办): things that need someone's action, collected from every app.

Apps register providers in AppConfig.ready(); each returns the items for a user's scope
on a given day with a fixed number of queries.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    kind: str
    kind_label: str
    candidate_name: str
    message: str
    url: str
    due: datetime.date | None = None
    township: str = ""


Provider = Callable[[object, datetime.date], Iterable[TodoItem]]
_providers: list[tuple[str, Provider]] = []


def register(kind: str) -> Callable[[Provider], Provider]:
    def decorator(provider: Provider) -> Provider:
        if all(existing != kind for existing, _ in _providers):
            _providers.append((kind, provider))
        return provider

    return decorator


def items_for(user, today: datetime.date) -> list[TodoItem]:
    items: list[TodoItem] = []
    for _, provider in _providers:
        items.extend(provider(user, today))
    # Undated items first (they are overdue by nature), then by date.
    return sorted(items, key=lambda item: (item.due or datetime.date.min, item.kind, item.candidate_name))

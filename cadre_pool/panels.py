"""Sections that other apps add to the candidate file page, without candidates importing them.

An app registers a context function with the template that renders it; the function
returns None when it has nothing to show for this candidate and user.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


_panels: list[tuple[int, str, Callable]] = []


def register(template: str, order: int = 100) -> Callable:
    def decorator(context_fn: Callable) -> Callable:
        if all(existing != template for _, existing, _ in _panels):
            _panels.append((order, template, context_fn))
            _panels.sort(key=lambda panel: panel[0])
        return context_fn

    return decorator


def for_candidate(candidate, user) -> list[Panel]:
    panels = []
    for _, template, context_fn in _panels:
        context = context_fn(candidate, user)
        if context is not None:
            panels.append(Panel(template, context))
    return panels

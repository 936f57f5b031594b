"""Township and village drop-downs from a cache keyed on the organisation tree's version.

A city's 200 townships or a district's 300 villages cost a query and a model instance per option
on every list page; the tree changes a few times a year. The choices are cached per unit, level and
parent under the tree's version, which every save or delete of an OrgUnit moves on (bulk loads call
`bump_tree_version()`). With one cache per process (the default local-memory cache) another process
notices a change only when its entry expires (ORG_CHOICES_CACHE_SECONDS); a shared cache (Redis,
memcached) sees it at once. Scoping is unchanged: the choices are read through `visible_to(user)`.

The national code tables (gender, education, political status, ...) behind the filter drop-downs are
cached the same way under their own version: without it each drop-down is a server-side cursor
(DECLARE, FETCH, CLOSE) on every list page.
"""

import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cadre_pool.models import CodeTableEntry, OrgUnit

VERSION_KEY = "orgtree:version"
CODE_VERSION_KEY = "codetables:version"


def tree_version() -> int:
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def bump_tree_version() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


@receiver(post_save, sender=OrgUnit)
@receiver(post_delete, sender=OrgUnit)
def _tree_changed(**kwargs) -> None:
    bump_tree_version()


def unit_choices(user, level: str, parent_id: int | None = None) -> list[tuple[int, str]]:
    """(pk, label) of the units of `level` the user sees, optionally only those under `parent_id`,
    in code order. Villages are labelled with their township ("明阳镇 · 骑龙山村")."""
    if not (user.is_authenticated and user.unit_id):
        return []
    key = f"orgchoices:{tree_version()}:{user.unit_id}:{level}:{parent_id or ''}"
    choices = cache.get(key)
    if choices is None:
        units = OrgUnit.objects.visible_to(user).filter(level=level)
        if parent_id is not None:
            units = units.filter(parent_id=parent_id)
        rows = units.order_by("code").values_list("pk", "name", "short_name", "parent__name", "parent__short_name")
        if level == OrgUnit.Level.VILLAGE:
            choices = [(pk, f"{p_short or p_name} · {short or name}") for pk, name, short, p_name, p_short in rows]
        else:
            choices = [(pk, short or name) for pk, name, short, _p_name, _p_short in rows]
        cache.set(key, choices, settings.ORG_CHOICES_CACHE_SECONDS)
    return choices


def code_tables_version() -> int:
    return cache.get_or_set(CODE_VERSION_KEY, time.time_ns, timeout=None)


def _code_tables_changed(**kwargs) -> None:
    cache.set(CODE_VERSION_KEY, time.time_ns(), timeout=None)


for _model in CodeTableEntry.__subclasses__():
    post_save.connect(_code_tables_changed, sender=_model, dispatch_uid=f"codetables:save:{_model.__name__}")
    post_delete.connect(_code_tables_changed, sender=_model, dispatch_uid=f"codetables:delete:{_model.__name__}")


class CodeEntry(NamedTuple):
    code: str
    name: str
    short_name: str
    parent: str | None

    @property
    def label(self) -> str:
        return self.short_name or self.name  # as the entry's __str__


# Code tables already read by this process, under the version they were read at, each until it
# expires as a cached entry would (another process's change reaches a local-memory cache no other way).
# Unpickling three tables from the cache on every list cost more than the list's own query.
_code_tables: dict[tuple[int, str], tuple[float, tuple]] = {}


def code_table(model) -> tuple[CodeEntry, ...]:
    """Every entry of a code table in code order, as of the code tables' current version."""
    key = (code_tables_version(), model._meta.label_lower)
    now = time.monotonic()
    expires, rows = _code_tables.get(key, (0.0, ()))
    if expires <= now:
        rows = tuple(
            CodeEntry(*row)
            for row in model.objects.order_by("code").values_list("code", "name", "short_name", "parent")
        )
        for stale in [k for k in list(_code_tables) if k[0] != key[0]]:
            _code_tables.pop(stale, None)
        _code_tables[key] = (now + settings.ORG_CHOICES_CACHE_SECONDS, rows)
    return rows


# Forms of a code table built from its rows, kept until `code_table` reads the table again (a new
# version, or its expiry): (table, form) → (the rows they were built from, the form).
_derived: dict[tuple[str, str], tuple[tuple, dict]] = {}


def _derive(model, form: str, build) -> dict:
    rows = code_table(model)
    key = (model._meta.label_lower, form)
    held = _derived.get(key)
    if held is None or held[0] is not rows:
        held = _derived[key] = (rows, build(rows))
    return held[1]


def code_labels(model) -> dict[str, str]:
    """Code → label of a code table, from the cache: a list shows labels without joining the table."""
    return _derive(model, "labels", lambda rows: {entry.code: entry.label for entry in rows})


def code_choices(model, *, top_level: bool = False, codes: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(code, label) for a drop-down: only the top level (education groups) or only `codes` when asked."""
    return [
        (entry.code, entry.label)
        for entry in code_table(model)
        if not (top_level and entry.parent) and (not codes or entry.code in codes)
    ]

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


def code_table(model) -> list[CodeEntry]:
    """Every entry of a code table in code order, from the cache."""
    key = f"codetable:{code_tables_version()}:{model._meta.label_lower}"
    rows = cache.get(key)
    if rows is None:
        rows = [
            CodeEntry(*row)
            for row in model.objects.order_by("code").values_list("code", "name", "short_name", "parent")
        ]
        cache.set(key, rows, settings.ORG_CHOICES_CACHE_SECONDS)
    return rows


_instances: dict[str, tuple[int, dict]] = {}


def code_instances(model, version: int) -> dict:
    """The entries of a code table as model instances by code, built once per process and `version`
    (`code_tables_version()`, read once by the caller for all its tables): a file's page shows eight
    codes' names without joining eight tables. Shared between requests, so read-only."""
    label = model._meta.label_lower
    held = _instances.get(label)
    if held is None or held[0] != version:
        by_code = {}
        for entry in code_table(model):
            instance = model(code=entry.code, name=entry.name, short_name=entry.short_name, parent_id=entry.parent)
            instance._state.adding = False  # as if read from the database
            instance._state.db = "default"
            by_code[entry.code] = instance
        held = _instances[label] = (version, by_code)
    return held[1]


def code_choices(model, *, top_level: bool = False, codes: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(code, label) for a drop-down: only the top level (education groups) or only `codes` when asked."""
    return [
        (entry.code, entry.label)
        for entry in code_table(model)
        if not (top_level and entry.parent) and (not codes or entry.code in codes)
    ]

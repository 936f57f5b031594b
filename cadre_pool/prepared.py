"""Querysets compiled to SQL once per process, then run for many keys: prepared statements for the ORM.

A candidate's page reads a dozen small lists (events, contacts, mentoring logs, ...), each one
indexed lookup by the candidate's id. PostgreSQL answers each in about 0.1 ms; compiling the queryset
(joins, columns, ordering) cost Django 0.25-0.5 ms more, every time, for the same SQL. A `Prepared`
compiles its queryset once per database with a placeholder key and afterwards only swaps in the key:
the rows, the model instances, select_related and prefetch_related are Django's own, as before.

Only the SQL text and Django's row-to-object plan are kept, never rows: every call reads the database.
"""

import copy
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

# Stands for the key while compiling; never sent to the database. Any value the key's column
# accepts will do, as long as no other parameter of the query equals it.
PLACEHOLDER = -724_310_571


if connections["default"].vendor == "postgresql":  # psycopg 3, as the settings require
    from django.db.backends.postgresql.base import ServerBindingCursor

    class _PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)


class _LoggedLiterally(CursorDebugWrapper):
    """Logs a prepared statement with its values in place, as Django logs its other queries (its
    default would be "QUERY = ... - PARAMS = ..."): query logs and captured queries read the same."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


def _fetch(connection, sql: str, params: tuple) -> list:
    """The rows of one statement; on PostgreSQL a server-side prepared statement of the connection
    (parsed and planned once per connection instead of on every run), through Django's cursor
    wrapper so that query logging and execute_wrapper see it as any other query."""
    if connection.vendor == "postgresql" and settings.PREPARED_STATEMENTS:
        connection.ensure_connection()
        connection.validate_thread_sharing()
        wrapper = _LoggedLiterally if connection.queries_logged else CursorWrapper
        cursor = wrapper(_PreparingCursor(connection.connection), connection)
    else:
        cursor = connection.cursor()
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Compiled(NamedTuple):
    queryset: QuerySet
    compiler: object
    sql: str
    params: tuple
    positions: tuple[int, ...]


class Prepared:
    """`Prepared(lambda key: Model.objects.filter(candidate_id=key).select_related(...))`; call it
    with a key for the list of instances. The function must build the same query for every key."""

    def __init__(self, build: Callable[[int], QuerySet]):
        self._build = build
        self._model = build(PLACEHOLDER).model
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        queryset = self._build(PLACEHOLDER).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        positions = tuple(i for i, value in enumerate(params) if value == PLACEHOLDER)
        assert positions, "the key is not a parameter of the query"
        compiled = _Compiled(queryset, compiler, sql, tuple(params), positions)
        self._compiled[alias] = compiled
        return compiled

    def __call__(self, key: int) -> list:
        # The router's choice for this read, per call (replica_reads() is a context).
        alias = router.db_for_read(self._model) or DEFAULT_DB_ALIAS
        compiled = self._compiled.get(alias) or self._compile(alias)
        params = list(compiled.params)
        for position in compiled.positions:
            params[position] = key
        params = tuple(params)
        # A copy of the compiled compiler that runs the kept SQL instead of compiling it again;
        # ModelIterable reads its select and klass_info and converts the rows as usual.
        connection = connections[alias]
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.execute_sql = lambda *args, **kwargs: [_fetch(connection, compiled.sql, params)]
        queryset = compiled.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


class PreparedIterable(ModelIterable):
    """A queryset's instances, compiled as usual but run as a server-side prepared statement: for a
    query whose SQL varies only in its values (the file page's lookup of one file in the user's
    scope), PostgreSQL then plans it once per connection. Set as a queryset's `_iterable_class`."""

    def __iter__(self):
        queryset = self.queryset
        connection = connections[queryset.db]
        query = queryset.query
        try:
            compiler = query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a scope that sees nothing
            return
        compiler.execute_sql = lambda *args, **kwargs: [_fetch(connection, sql, params)]
        query.get_compiler = lambda *args, **kwargs: compiler
        try:
            yield from super().__iter__()
        finally:
            del query.get_compiler

"""Reports, dashboards and exports read from a streaming replica when one is configured.

Set DATABASE_REPLICA_URL and the read queries made inside `replica_reads()` (the dashboard, the
township comparison, the pool figures, every export) go to the `replica` alias; everything else,
and every write (the audit rows of an export included), stays on the primary. Sessions, sign-in
and the pages where people edit files never read from the replica, so nobody sees their own change
missing because of replication lag. Without a replica this router does nothing.
"""

import contextvars
import functools
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_replica_reads = contextvars.ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads():
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view):
    """A view whose read queries may go to the replica (reports only: never a page that writes first)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get() and settings.REPLICA_READS and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there may point at one read here.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None

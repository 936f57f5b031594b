"""Sessions in the database (app servers keep no state), renewed on every request without a disk flush.

The idle limit renews the session on every request (SESSION_SAVE_EVERY_REQUEST), so every page
ended with a durable commit: a WAL flush per request, the largest single cost of a signed-in page on
a busy server. The session write alone commits asynchronously (`synchronous_commit = off` for that
transaction only); a crash can lose at most the last fraction of a second of renewals, which only
makes those sessions expire sooner. Every other write keeps its durable commit.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router, transaction


class SessionStore(DatabaseSessionStore):
    def save(self, must_create=False):
        using = router.db_for_write(self.model, instance=None)
        connection = connections[using]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return super().save(must_create=must_create)
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
            return super().save(must_create=must_create)

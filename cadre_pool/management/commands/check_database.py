import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check that the configured database server answers; explain how to start PostgreSQL if not."

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            self.stdout.write(f"SQLite: {db['NAME']}")
            return
        params = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": db.get("PORT") or 5432,
            "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or None,
            # The server, not our database: the test runner creates its own.
            "dbname": "postgres",
            "connect_timeout": 5,
        }
        try:
            with psycopg.connect(**params) as connection:
                version = connection.execute("SHOW server_version").fetchone()[0]
        except psycopg.Error as exc:
            raise CommandError(
                f"PostgreSQL 没有响应（{params['host']}:{params['port']}，用户 {params['user']}）：{exc}\n"
                "PostgreSQL did not answer. Start it, e.g. "
                "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start', "
                "or point DATABASE_URL at a running server."
            ) from exc
        self.stdout.write(f"PostgreSQL {version} at {params['host']}:{params['port']}")

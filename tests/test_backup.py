"""Backup and restore drill (S20): seed, back up with scripts/backup, restore into a scratch database, compare."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from cadre_pool import audit
from cadre_pool.demo import ensure_demo_accounts, seed_candidates
from cadre_pool.models import AuditAction

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _figures(url: str) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row's text, ordered by primary key, for each of our tables."""
    figures = {}
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename ~ "
                "'^(cadre_pool|candidates|mentorship|assessments)_' ORDER BY tablename"
            )
        ]
        for table in tables:
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"
            ).fetchone()
            figures[table] = (count, digest)
    return figures


def _run(script: str, *args: str, url: str):
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(  # noqa: S603 - our own scripts
        [str(ROOT / "scripts" / script), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.reliability
def test_backup_and_restore_into_a_scratch_database_gives_the_same_rows(reference, tmp_path, reliability):
    from assessments.demo import seed_management
    from mentorship.demo import seed_cultivation

    ensure_demo_accounts()
    seed_candidates(count=60, seed=20)
    seed_cultivation(seed=20, district_code="511903000000")
    seed_management(seed=20, district_code="511903000000")
    audit.record(None, action=AuditAction.EXPORT, rows=60, note="备份演练")

    source = _url(connection.settings_dict["NAME"])
    scratch_name = connection.settings_dict["NAME"] + "_restore_drill"
    scratch = _url(scratch_name)
    dump = tmp_path / "drill.dump"
    _run("backup", str(dump), url=source)
    assert dump.stat().st_size > 0
    assert (tmp_path / "drill.dump.sha256").exists()
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    admin = _url("postgres").replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch_name}"')
        conn.execute(f'CREATE DATABASE "{scratch_name}"')
    try:
        _run("restore", str(dump), url=scratch)
        before, after = _figures(source), _figures(scratch)
        differing = {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}
        reliability(
            "backup and restore drill: tables with the same rows and checksum",
            tried=len(before),
            succeeded=len(before) - len(differing),
            lost=len(differing),
        )
        assert before["candidates_candidate"][0] == 60
        assert before["cadre_pool_auditevent"][0] >= 1
        assert after == before
        # The restored audit table is append-only too: the trigger came back with it.
        with psycopg.connect(scratch.replace("postgres://", "postgresql://")) as conn, pytest.raises(psycopg.Error):
            conn.execute("UPDATE cadre_pool_auditevent SET success = false")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')


def test_backup_refuses_a_sqlite_url(tmp_path):
    env = {**os.environ, "DATABASE_URL": "sqlite:///x.sqlite3"}
    result = subprocess.run(  # noqa: S603 - our own script
        [str(ROOT / "scripts" / "backup"), str(tmp_path / "x.dump")], env=env, capture_output=True
    )
    assert result.returncode == 2

"""Backup and restore drill (S20): seed, back up with scripts/backup, restore into a scratch database, compare."""

import datetime
import hashlib
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cadre_pool import audit
from cadre_pool.models import AuditAction, Role, User
from candidates.demo import ensure_demo_accounts, seed_candidates

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"

ROOT = Path(__file__).resolve().parents[2]
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


def _files(folder: Path) -> dict[str, str]:
    """Every file below `folder` by relative path, with its SHA-256."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _run(script: str, *args: str, url: str, media: Path, expect: int = 0):
    env = {**os.environ, "DATABASE_URL": url, "PRIVATE_MEDIA_ROOT": str(media)}
    result = subprocess.run(  # noqa: S603 - our own scripts
        [str(ROOT / "scripts" / script), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == expect, result.stderr
    return result


@pytest.mark.reliability
def test_backup_and_restore_into_a_scratch_database_gives_the_same_rows_and_files(
    reference, tmp_path, settings, reliability
):
    from assessments.demo import seed_management
    from assessments.services import record_assessment
    from candidates.models import Candidate
    from mentorship.demo import seed_cultivation

    source_media, restored_media = tmp_path / "private", tmp_path / "restored" / "private"
    settings.PRIVATE_MEDIA_ROOT = source_media
    ensure_demo_accounts()
    seed_candidates(count=60, seed=20)
    seed_cultivation(seed=20, district_code="511903000000")
    seed_management(seed=20, district_code="511903000000")
    audit.record(None, action=AuditAction.EXPORT, rows=60, note="备份演练")
    candidate = Candidate.objects.filter(status="in_pool").first()
    staff = User.objects.filter(role=Role.DISTRICT_STAFF).first()
    for index, content in enumerate([PNG, PDF, PNG + b"2"]):
        record_assessment(
            actor=staff,
            candidate_id=candidate.pk,
            fields={"kind": "emergency", "date": datetime.date.today(), "description": "演练", "rating": "good"},
            files=[SimpleUploadedFile(f"证据{index}.{'pdf' if content == PDF else 'png'}", content)],
        )
    # A stale file in the restore target must not survive: the files follow the database.
    restored_media.mkdir(parents=True)
    (restored_media / "stale.png").write_bytes(PNG)

    source = _url(connection.settings_dict["NAME"])
    scratch_name = connection.settings_dict["NAME"] + "_restore_drill"
    scratch = _url(scratch_name)
    dump = tmp_path / "drill.tar"
    _run("backup", str(dump), url=source, media=source_media)
    assert dump.stat().st_size > 0
    assert (tmp_path / "drill.tar.sha256").exists()
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    admin = _url("postgres").replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch_name}"')
        conn.execute(f'CREATE DATABASE "{scratch_name}"')
    try:
        _run("restore", str(dump), url=scratch, media=restored_media)
        before, after = _figures(source), _figures(scratch)
        differing = {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}
        reliability(
            "backup and restore drill: tables with the same rows and checksum",
            tried=len(before),
            succeeded=len(before) - len(differing),
            lost=len(differing),
        )
        files_before, files_after = _files(source_media), _files(restored_media)
        wrong_files = {
            name for name in files_before.keys() | files_after.keys() if files_before.get(name) != files_after.get(name)
        }
        reliability(
            "backup and restore drill: private files with the same path and SHA-256",
            tried=len(files_before),
            succeeded=len(files_before) - len(wrong_files),
            lost=len(wrong_files),
        )
        assert before["candidates_candidate"][0] == 60
        assert before["cadre_pool_auditevent"][0] >= 1
        assert after == before
        assert len(files_before) >= 3 and files_after == files_before
        # The restored audit table is append-only too: the trigger came back with it.
        with psycopg.connect(scratch.replace("postgres://", "postgresql://")) as conn, pytest.raises(psycopg.Error):
            conn.execute("UPDATE cadre_pool_auditevent SET success = false")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')


def test_restore_refuses_an_archive_without_or_against_its_checksum(tmp_path):
    archive = tmp_path / "copy.tar"
    archive.write_bytes(b"not checked")
    url = "postgres://postgres@127.0.0.1:5432/never_touched"
    result = _run("restore", str(archive), url=url, media=tmp_path / "media", expect=2)
    assert "sha256 is missing" in result.stderr
    (tmp_path / "copy.tar.sha256").write_text(f"{'0' * 64}  copy.tar\n")
    result = _run("restore", str(archive), url=url, media=tmp_path / "media", expect=2)
    assert "does not match" in result.stderr
    assert not (tmp_path / "media").exists()


def test_backup_refuses_a_sqlite_url(tmp_path):
    env = {**os.environ, "DATABASE_URL": "sqlite:///x.sqlite3"}
    result = subprocess.run(  # noqa: S603 - our own script
        [str(ROOT / "scripts" / "backup"), str(tmp_path / "x.dump")], env=env, capture_output=True
    )
    assert result.returncode == 2

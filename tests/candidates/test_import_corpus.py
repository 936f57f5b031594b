"""The import corpus (tests/data/make_corpus.py): each roster imports exactly as its expectations say,
through the web import (upload, preview, confirm) and through `import_candidates`."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from candidates.models import Candidate, ImportBatch
from tests.conftest import GUANGONG, MINGYANG
from tests.factories import CandidateFactory, OrgUnitFactory

CORPUS = Path(__file__).resolve().parents[1] / "data" / "import_corpus"
EXPECTATIONS = json.loads((CORPUS / "expectations.json").read_text(encoding="utf-8"))
BY_FILE = {roster["file"]: roster for roster in EXPECTATIONS}


def test_the_corpus_is_large_and_covers_every_outcome():
    assert len(EXPECTATIONS) >= 30
    outcomes = {row["outcome"] for roster in EXPECTATIONS for row in roster["rows"]}
    assert outcomes == {"new", "error", "skipped"}
    assert sum(bool(row["warnings"]) for roster in EXPECTATIONS for row in roster["rows"]) >= 5
    assert {path.name for path in CORPUS.glob("*.xlsx")} == set(BY_FILE)


@pytest.fixture
def corpus_world(reference, organiser, district_staff, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path

    def prepare(roster):
        if roster["elsewhere"]:
            CandidateFactory(
                township=reference[GUANGONG],
                village=None,
                id_number=roster["elsewhere"],
                birth_date=datetime.date(1988, 5, 5),
                gender_id="1" if int(roster["elsewhere"][16]) % 2 else "2",
            )
        return Candidate.objects.count()

    return prepare


def _expected_rows(roster):
    return [
        {key: row[key] for key in ("row", "name", "outcome", "errors", "warnings", "reason")} for row in roster["rows"]
    ]


def _new(roster) -> int:
    return sum(row["outcome"] == "new" for row in roster["rows"])


def _committed(roster) -> bool:
    rows = roster["rows"]
    return not roster["rejected"] and _new(roster) > 0 and not any(row["outcome"] == "error" for row in rows)


@pytest.mark.parametrize("name", sorted(BY_FILE))
def test_web_import(client, organiser, corpus_world, name):
    roster = BY_FILE[name]
    before = corpus_world(roster)
    client.force_login(organiser)
    content = (CORPUS / name).read_bytes()
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post(reverse("candidates:import"), {"file": upload})
    if roster["rejected"]:
        assert response.status_code == 400
        assert roster["rejected"] in response.text
        assert not ImportBatch.objects.exists()
        return
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("candidates:import_preview", args=[batch.pk])
    rows = [
        {
            "row": r["row"],
            "name": r["name"],
            "outcome": r["outcome"],
            "errors": [message for _column, message in r["errors"]],
            "warnings": [message for _column, message in r["warnings"]],
            "reason": r["reason"],
        }
        for r in batch.summary["rows"]
    ]
    assert rows == _expected_rows(roster)
    assert batch.summary["notes"] == roster["notes"]
    assert batch.summary["header_rows"] == roster["header_rows"]
    preview = client.get(response["Location"])
    for row in roster["rows"]:
        for message in row["errors"] + row["warnings"] + [row["reason"]]:
            assert message in preview.text
    assert Candidate.objects.count() == before  # the preview wrote nothing

    client.post(reverse("candidates:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ("imported" if _committed(roster) else "previewed")
    assert Candidate.objects.count() == before + (_new(roster) if _committed(roster) else 0)
    if _committed(roster):
        imported = set(Candidate.objects.filter(township=organiser.unit).values_list("name", flat=True))
        assert imported == {row["name"] for row in roster["rows"] if row["outcome"] == "new"}


@pytest.mark.parametrize("name", sorted(BY_FILE))
def test_command_import(corpus_world, reference, name, capsys):
    roster = BY_FILE[name]
    before = corpus_world(roster)
    path = str(CORPUS / name)
    if roster["rejected"] or not _committed(roster):
        with pytest.raises(CommandError) as info:
            call_command("import_candidates", path, "--township", "明阳镇")
        if roster["rejected"]:
            assert roster["rejected"] in str(info.value)
    else:
        call_command("import_candidates", path, "--township", "明阳镇")
    out, err = capsys.readouterr()
    expected_out = list(roster["notes"])
    expected_out += [f"第 {r['row']} 行 已跳过：{r['reason']}" for r in roster["rows"] if r["outcome"] == "skipped"]
    expected_out += [f"第 {r['row']} 行 提示：{m}" for r in roster["rows"] for m in r["warnings"]]
    expected_err = [f"第 {r['row']} 行 错误：{m}" for r in roster["rows"] for m in r["errors"]]
    lines = out.splitlines()
    if _committed(roster):
        assert lines[-1].startswith("已导入：明阳镇（511903100000）")
        lines = lines[:-1]
    assert lines == ([] if roster["rejected"] else expected_out)
    assert err.splitlines() == ([] if roster["rejected"] else expected_err)
    assert Candidate.objects.count() == before + (_new(roster) if _committed(roster) else 0)


def test_the_command_takes_the_township_by_name_district_and_name_or_code(reference, district_staff, tmp_path):
    path = str(CORPUS / "02_dates_as_text.xlsx")
    for township in ("明阳镇", "恩阳区明阳镇", reference[MINGYANG].code, " 明阳镇 "):
        call_command("import_candidates", path, "--township", township, "--dry-run")
    with pytest.raises(CommandError, match="找不到名为“光明镇”的乡镇"):
        call_command("import_candidates", path, "--township", "光明镇")
    with pytest.raises(CommandError, match="找不到区划代码为 511903999000"):
        call_command("import_candidates", path, "--township", "511903999000")
    assert not Candidate.objects.exists()


def test_a_township_name_two_districts_share_must_be_told_apart(reference, district_staff, tmp_path):
    other = OrgUnitFactory(code="511902000000", name="巴州区", district=True, parent=reference[MINGYANG].parent.parent)
    OrgUnitFactory(code="511902100000", name="明阳镇", township=True, parent=other)
    path = str(CORPUS / "02_dates_as_text.xlsx")
    with pytest.raises(CommandError) as info:
        call_command("import_candidates", path, "--township", "明阳镇", "--dry-run")
    assert "有 2 个同名乡镇" in str(info.value)
    assert "恩阳区明阳镇（511903100000）" in str(info.value) and "巴州区明阳镇（511902100000）" in str(info.value)
    call_command("import_candidates", path, "--township", "恩阳区明阳镇", "--dry-run")


def test_the_error_workbook_repeats_the_rows_as_written_with_a_message_column(client, organiser, corpus_world):
    name = "27_three_real_errors.xlsx"
    roster = BY_FILE[name]
    client.force_login(organiser)
    client.post(reverse("candidates:import"), {"file": io.BytesIO((CORPUS / name).read_bytes())})
    batch = ImportBatch.objects.get()
    sheet = load_workbook(io.BytesIO(client.get(reverse("candidates:import_errors", args=[batch.pk])).content)).active
    original = list(load_workbook(CORPUS / name).active.iter_rows(values_only=True))
    written = list(sheet.iter_rows(min_row=3, values_only=True))
    assert written[0] == ("行号", *original[roster["header_rows"][0] - 1], "问题")
    bad = [row for row in roster["rows"] if row["outcome"] == "error"]
    assert [line[0] for line in written[1:]] == [row["row"] for row in bad]
    for line, row in zip(written[1:], bad, strict=True):
        assert line[1:-1] == original[row["row"] - 1]
        assert line[-1] == "；".join(row["errors"])

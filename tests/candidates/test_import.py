"""Excel import: messy input accepted, every bad row reported, nothing half-written, hostile files refused."""

import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from candidates.identity import id_check_char
from candidates.importing import FileRejected, run_import
from candidates.models import Candidate, ImportBatch
from candidates.services import create_candidate
from tests.candidates.test_normalise import exactly_representable_id
from tests.conftest import GUANGONG, MINGYANG
from tests.factories import CandidateFactory

HEADER = [
    "姓名",
    "公民身份号码",
    "性别",
    "出生年月",
    "政治面貌",
    "入党时间",
    "学历",
    "人员类别",
    "村(社区)",
    "联系电话",
]


def valid_id(birth: str, sequence: int) -> str:
    body = f"511903{birth}{sequence:03d}"
    return body + id_check_char(body)


def good_row(n: int, **overrides) -> dict:
    row = {
        "姓名": f"导入{n}号",
        "公民身份号码": valid_id("19900501", 100 + n * 2 + 1),
        "性别": "男",
        "出生年月": "1990.05",
        "政治面貌": "中共党员",
        "入党时间": "2015.07",
        "学历": "大学本科",
        "人员类别": "退役军人",
        "村(社区)": "骑龙山村",
        "联系电话": f"1390000{n:04d}",
    }
    row.update(overrides)
    return row


def workbook(rows: list[dict], *, header=HEADER, title_rows=2) -> bytes:
    wb = Workbook()
    sheet = wb.active
    for index in range(title_rows):
        sheet.append([f"明阳镇后备力量花名册（第 {index + 1} 行标题）"])
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) for column in header])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _import(actor, content, township, commit=True):
    return run_import(actor=actor, content=content, township=township, commit=commit)


# --- messy input accepted -----------------------------------------------------------------------


def test_messy_real_world_input_is_accepted_and_normalised(organiser, reference):
    number = valid_id("19880312", 123)
    rows = [
        good_row(1, **{"公民身份号码": " ".join([number[:6], number[6:14], number[14:].lower()])}),
        good_row(
            2,
            **{"公民身份号码": "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in valid_id("19900501", 205))},
        ),
        good_row(
            3,
            **{
                "出生年月": datetime.datetime(1990, 5, 1),
                "入党时间": "2016-7-1",
                "公民身份号码": valid_id("19900501", 207),
            },
        ),
        good_row(4, **{"出生年月": "199005", "入党时间": "2017年7月", "公民身份号码": valid_id("19900501", 209)}),
        good_row(
            5,
            **{
                "出生年月": "1990年5月",
                "政治面貌": "群众",
                "入党时间": None,
                "公民身份号码": valid_id("19900501", 211),
            },
        ),
        good_row(
            6,
            **{
                "姓名": "  尾空格  ",
                "学历": "大学专科毕业 ",
                "人员类别": "本土大学毕业生",
                "公民身份号码": valid_id("19900501", 213),
            },
        ),
        good_row(
            7,
            **{
                # A number cell, as Excel keeps it: kept only because this value fits a double exactly.
                "公民身份号码": float(exactly_representable_id())
            },
        ),
    ]
    rows[0]["出生年月"] = "1988.03"
    shuffled = list(reversed(HEADER))
    report = _import(organiser, workbook(rows, header=shuffled), reference[MINGYANG])
    assert report.errors == []
    assert report.committed and report.count("new") == 7
    first = Candidate.objects.get(id_number=number)
    assert (first.birth_date, first.gender_id, first.political_status_id) == (datetime.date(1988, 3, 12), "1", "01")
    assert Candidate.objects.get(name="尾空格").education_id == "31"
    assert Candidate.objects.get(name="导入4号").party_entry_date == datetime.date(2017, 7, 1)
    assert Candidate.objects.filter(township=reference[MINGYANG], village__short_name="骑龙山村").count() == 7


def test_existing_person_of_the_township_is_updated_by_id_number(organiser, reference):
    person = CandidateFactory(township=reference[MINGYANG], name="老档案")
    row = good_row(1, **{"公民身份号码": person.id_number, "姓名": "老档案", "联系电话": "13977776666"})
    row["出生年月"] = None
    report = _import(organiser, workbook([row]), reference[MINGYANG])
    assert report.count("update") == 1 and report.committed
    person.refresh_from_db()
    assert person.phone == "13977776666" and person.version == 2


# --- bad rows: nothing written, exactly those rows reported --------------------------------------


BAD_ROWS = {
    "bad checksum": lambda: good_row(
        9,
        **{
            "公民身份号码": valid_id("19900501", 301)[:-1] + "0"
            if valid_id("19900501", 301)[-1] != "0"
            else valid_id("19900501", 301)[:-1] + "1"
        },
    ),
    "missing name": lambda: good_row(9, **{"姓名": ""}),
    "unknown code": lambda: good_row(9, **{"政治面貌": "无党派人"}),
    "other township": lambda: {**good_row(9), "乡镇(街道)": "关公镇"},
    "unknown village": lambda: good_row(9, **{"村(社区)": "西南村"}),
    "formula": lambda: good_row(9, **{"联系电话": "=1+1"}),
}


@pytest.mark.reliability
@pytest.mark.parametrize("kind", list(BAD_ROWS))
@pytest.mark.parametrize("position", ["first", "middle", "last"])
def test_one_bad_row_writes_nothing_and_is_reported(organiser, reference, kind, position, reliability):
    rows = [good_row(n) for n in range(1, 5)]
    index = {"first": 0, "middle": 2, "last": 4}[position]
    rows.insert(index, BAD_ROWS[kind]())
    header = ["乡镇(街道)", *HEADER] if kind == "other township" else HEADER
    before = Candidate.objects.count()
    report = _import(organiser, workbook(rows, header=header), reference[MINGYANG])
    written = Candidate.objects.count() - before
    reliability(
        "import: one bad row among good ones (kind × first/middle/last)",
        tried=1,
        succeeded=int(report.committed),
        refused=int(not report.committed),
        leaked=written,
    )
    assert not report.committed
    assert written == 0
    bad_row_number = 4 + index  # two title rows, the header, then data from row 4
    assert {row for row, _column, _reason in report.errors} == {bad_row_number}


def test_duplicates_in_the_file_and_in_another_township_are_reported(organiser, reference):
    elsewhere = CandidateFactory(township=reference[GUANGONG])
    rows = [
        good_row(1),
        good_row(2),
        good_row(1, **{"姓名": "重复行"}),
        good_row(3, **{"公民身份号码": elsewhere.id_number}),
    ]
    rows[3]["出生年月"] = None
    before = Candidate.objects.count()
    report = _import(organiser, workbook(rows), reference[MINGYANG])
    assert Candidate.objects.count() == before
    reported = {row: reason for row, _column, reason in report.errors}
    assert set(reported) == {6, 7}
    assert "第 4 行" in reported[6]
    assert "其他乡镇" in reported[7]


def test_organiser_cannot_import_into_another_township(organiser, reference):
    with pytest.raises(Exception) as info:
        _import(organiser, workbook([good_row(1)]), reference[GUANGONG])
    assert info.type.__name__ == "PermissionDenied"


# --- hostile files -------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_entries(extra: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook([good_row(1)])))
    entries = {info.filename: source.read(info.filename) for info in source.infolist()}
    entries.update(extra)
    return _zip(entries)


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
)

HOSTILE = {
    "empty": lambda: b"",
    "renamed binary": lambda: b"MZ\x90\x00" + b"\x00" * 500,
    "macros": lambda: _with_entries({"xl/vbaProject.bin": b"\x00" * 100}),
    "zip bomb": lambda: _with_entries({"xl/media/padding.bin": b"\x00" * (120 * 1024 * 1024)}),
    "entity expansion": lambda: _with_entries({"xl/sharedStrings.xml": ENTITY_BOMB}),
    "not a workbook": lambda: _zip({"hello.txt": b"hi"}),
    "1,000,001 rows": lambda: _with_entries({"xl/worksheets/sheet1.xml": _million_rows()}),
}


def _million_rows() -> bytes:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 1_000_002))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:A1000001"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


@pytest.mark.reliability
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_files_are_refused_with_400_and_nothing_written(
    client, organiser, reference, kind, settings, tmp_path, reliability
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    content = HOSTILE[kind]()
    with pytest.raises(FileRejected):
        _import(organiser, content, reference[MINGYANG])
    client.force_login(organiser)
    response = client.post(reverse("candidates:import"), {"file": io.BytesIO(content)})
    written = Candidate.objects.count() + ImportBatch.objects.count()
    reliability(
        "import: hostile files (empty, binary, macros, zip bomb, entities, 1M rows, not a workbook)",
        tried=1,
        refused=int(response.status_code == 400),
        succeeded=int(response.status_code < 400),
        leaked=written,
    )
    assert response.status_code == 400
    assert written == 0


def test_too_many_rows_are_refused(organiser, reference, settings):
    settings.IMPORT_MAX_ROWS = 5
    with pytest.raises(FileRejected) as info:
        _import(organiser, workbook([good_row(n) for n in range(1, 30)]), reference[MINGYANG])
    assert "5" in info.value.messages[0]


# --- pages and the command -----------------------------------------------------------------------


def test_template_has_drop_downs_and_instructions(client, organiser, reference):
    client.force_login(organiser)
    wb = load_workbook(io.BytesIO(client.get(reverse("candidates:import_template")).content))
    assert wb.sheetnames == ["花名册", "代码", "填写说明"]
    sheet = wb["花名册"]
    assert [c.value for c in sheet[3]][:3] == ["乡镇(街道)", "村(社区)", "姓名"]
    assert len(sheet.data_validations.dataValidation) >= 6
    assert wb["代码"].sheet_state == "hidden"


def test_upload_preview_confirm_and_error_list(client, organiser, reference, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(organiser)
    bad = workbook([good_row(1), good_row(2, **{"姓名": ""})])
    response = client.post(reverse("candidates:import"), {"file": io.BytesIO(bad)})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("candidates:import_preview", args=[batch.pk])
    preview = client.get(response["Location"])
    assert "姓名为空。" in preview.text
    errors = load_workbook(io.BytesIO(client.get(reverse("candidates:import_errors", args=[batch.pk])).content)).active
    assert [row[0] for row in errors.iter_rows(min_row=4, values_only=True)] == [5]
    client.post(reverse("candidates:import_confirm", args=[batch.pk]))
    assert not Candidate.objects.exists()

    good = workbook([good_row(1), good_row(2)])
    client.post(reverse("candidates:import"), {"file": io.BytesIO(good)})
    batch = ImportBatch.objects.latest("created_at")
    assert not Candidate.objects.exists()  # the preview wrote nothing
    client.post(reverse("candidates:import_confirm", args=[batch.pk]))
    assert Candidate.objects.count() == 2
    batch.refresh_from_db()
    assert batch.status == "imported"


def test_preview_of_another_user_is_not_found(client, organiser, other_organiser, reference, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(organiser)
    client.post(reverse("candidates:import"), {"file": io.BytesIO(workbook([good_row(1)]))})
    batch = ImportBatch.objects.get()
    client.force_login(other_organiser)
    assert client.get(reverse("candidates:import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("candidates:import_confirm", args=[batch.pk])).status_code == 404


def test_command_line_import(district_staff, reference, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook([good_row(1), good_row(2, **{"政治面貌": "不存在"})]))
    with pytest.raises(CommandError):
        call_command("import_candidates", str(path), "--township", reference[MINGYANG].code)
    assert not Candidate.objects.exists()
    path.write_bytes(workbook([good_row(1), good_row(2)]))
    call_command("import_candidates", str(path), "--township", reference[MINGYANG].code, "--dry-run")
    assert not Candidate.objects.exists()
    call_command("import_candidates", str(path), "--township", reference[MINGYANG].code)
    assert Candidate.objects.filter(township=reference[MINGYANG]).count() == 2


def test_a_party_member_without_an_entry_date_is_filed_but_the_form_asks_for_it(client, organiser, reference):
    fields = {
        "name": "缺入党时间",
        "id_number": valid_id("19900501", 611),
        "gender_id": "1",
        "ethnicity_id": "01",
        "birth_date": datetime.date(1990, 5, 1),
        "phone": "",
        "political_status_id": "01",
        "education_id": "21",
        "source_category": "veteran",
    }
    candidate = create_candidate(actor=organiser, township=reference[MINGYANG], fields=fields)
    assert (candidate.party_entry_date, candidate.phone) == (None, "")
    client.force_login(organiser)
    page = client.post(
        reverse("candidates:edit", args=[candidate.pk]),
        {
            "version": candidate.version,
            "name": candidate.name,
            "id_number": "",
            "phone": "13900004444",
            "gender": "1",
            "ethnicity": "01",
            "birth_date": "1990-05-01",
            "political_status": "01",
            "party_entry_date": "",
            "education": "21",
            "source_category": "veteran",
        },
    )
    assert page.status_code == 200 and "党员须填写入党时间" in page.text
    candidate.refresh_from_db()
    assert candidate.version == 1


def test_the_township_code_is_shown_where_staff_and_organisers_see_the_township(client, district_staff, organiser):
    township = organiser.unit
    client.force_login(district_staff)
    page = client.get(reverse("coverage"), {"township": township.pk})
    assert f"明阳镇 · 区划代码 {township.code}" in page.text
    assert f"明阳镇（{township.code}）" in client.get(reverse("candidates:import")).text
    client.force_login(organiser)
    assert f"明阳镇 · 区划代码 {township.code}" in client.get(reverse("candidates:import")).text

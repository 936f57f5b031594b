# ruff: noqa: E501 - the package parts below are written as Excel writes them, one element a line
"""S15: a workbook is read by what is really in it, within bounded memory, and no row is dropped.

The hostile files are written by hand, part by part, as an attacker (or a broken exporter) would:
a `<dimension>` that claims the whole sheet, one that claims too little, a single cell at the last
row, values and styled cells at the last column, a DTD beyond the first kilobytes.
"""

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

from candidates.workbook import FileRejected, check_file, read_rows

pytestmark = [pytest.mark.reliability]

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def cell(ref: str, text: str | None = None) -> str:
    if text is None:
        return f'<c r="{ref}" s="0"/>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(rows: dict[int, list[str]], *, dimension: str | None = None, extra: dict[str, str] | None = None) -> bytes:
    """An .xlsx whose first sheet has exactly `rows` ({row number: cells}), and the dimension given."""
    body = "".join(f'<row r="{number}">{"".join(cells)}</row>' for number, cells in sorted(rows.items()))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{body}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, text in (extra or {}).items():
            archive.writestr(name, text, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


HEADER = {1: [cell("A1", "姓名"), cell("B1", "公民身份号码"), cell("C1", "性别")]}


def person(number: int) -> list[str]:
    return [cell(f"A{number}", f"人员{number}"), cell(f"B{number}", "511903199001011234"), cell(f"C{number}", "男")]


HOSTILE = {
    # The whole sheet claimed: read as the three rows it has.
    "whole sheet dimension": workbook({**HEADER, 2: person(2), 3: person(3)}, dimension="A1:XFD1048576"),
    # One cell on the last row: the rows between are nothing, not a million rows of 16,384 columns.
    "cell on the last row": workbook({**HEADER, 2: person(2), 1048576: [cell("A1048576", "末行")]}),
    # Styled, empty cells at the last column on many rows: harmless, trimmed as they stream.
    "styled cells at XFD": workbook({**HEADER, **{n: [*person(n), cell(f"XFD{n}")] for n in range(2, 252)}}),
}


def _measure(content: bytes, tmp_path) -> dict:
    """Read `content` in a fresh process: peak memory above the process's own, in MB, and the outcome."""
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(content)
    script = f"""
import json, resource, tracemalloc, django
django.setup()
from candidates.workbook import FileRejected, read_rows
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
try:
    rows = read_rows(open({str(path)!r}, "rb").read(), max_rows=10020)
    outcome = [len(rows), sum(1 for row in rows if row), max((len(row) for row in rows), default=0)]
except FileRejected as exc:
    outcome = exc.code
traced = tracemalloc.get_traced_memory()[1]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
# The larger of the process's growth and the peak of what Python allocated while reading.
print(json.dumps({{"peak_mb": max((after - before) / 1024, traced / 2**20), "outcome": outcome}}))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


PEAK_MB = 100


@pytest.mark.slow
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_workbooks_are_read_in_bounded_memory(case, tmp_path, reliability):
    figures = _measure(HOSTILE[case], tmp_path)
    reliability(f"hostile workbook: {case}: peak MB above baseline", tried=1, succeeded=round(figures["peak_mb"], 1))
    assert figures["peak_mb"] < PEAK_MB, figures
    total, filled, widest = figures["outcome"]
    expected = {
        "whole sheet dimension": (3, 3, 3),
        "cell on the last row": (1048576, 3, 3),
        "styled cells at XFD": (251, 251, 3),
    }[case]
    assert (total, filled, widest) == expected


def test_a_too_small_dimension_drops_no_row(reliability):
    rows = {**HEADER, **{n: person(n) for n in range(2, 12)}}  # ten people
    read = read_rows(workbook(rows, dimension="A1:P5"), max_rows=100)
    dropped = 10 - sum(1 for row in read[1:] if row)
    reliability("workbook rows silently dropped", tried=10, succeeded=10 - dropped, lost=dropped)
    assert dropped == 0 and read[-1][0] == "人员11"


def test_a_value_beyond_the_last_roster_column_is_refused_by_its_cell():
    with pytest.raises(FileRejected) as refused:
        read_rows(workbook({**HEADER, 2: [*person(2), cell("XFD2", "x")]}), max_rows=100)
    assert refused.value.code == "too_many_columns" and "XFD2" in refused.value.messages[0]


def test_more_cells_than_any_roster_is_refused_while_streaming():
    rows = {**HEADER, **{n: [cell(f"A{n}", "甲"), cell(f"XFD{n}")] for n in range(2, 400)}}
    with pytest.raises(FileRejected) as refused:
        read_rows(workbook(rows), max_rows=10020)
    assert refused.value.code == "too_many_cells"


def test_rows_beyond_the_limit_are_refused():
    rows = {**HEADER, **{n: person(n) for n in range(2, 13)}}
    with pytest.raises(FileRejected) as refused:
        read_rows(workbook(rows), max_rows=10)
    assert refused.value.code == "too_many_rows"


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "docProps/core.xml"])
def test_a_dtd_anywhere_in_any_part_is_refused(part):
    padding = "<!-- " + "填充" * 3000 + " -->"  # past the first kilobytes that were all the old check read
    hostile = (
        f'<?xml version="1.0"?>{padding}<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'
    )
    content = workbook(HEADER) if part != "xl/worksheets/sheet1.xml" else None
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(workbook(HEADER))) as source, zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                data = hostile.encode() if info.filename == part else source.read(info)
                target.writestr(info, data)
        content = buffer.getvalue()
    else:
        content = workbook(HEADER, extra={part: hostile})
    with pytest.raises(FileRejected) as refused:
        check_file(content)
    assert refused.value.code == "entities"


def test_shared_strings_beyond_any_roster_are_refused(settings):
    settings.IMPORT_MAX_BYTES = 50 * 1024 * 1024
    strings = "<sst>" + "<si><t>一</t></si>" * 1_100_000 + "</sst>"
    with pytest.raises(FileRejected) as refused:
        check_file(workbook(HEADER, extra={"xl/sharedStrings.xml": strings}))
    assert refused.value.code == "shared_strings"

"""The shared Excel writer: parsed back with openpyxl."""

import datetime
import io

from openpyxl import load_workbook

from cadre_pool.excel import Column, Table, workbook_bytes

COLUMNS = [
    Column("n", "序号", 6, lambda row: row["n"]),
    Column("name", "姓名", 10, lambda row: row["name"]),
    Column("born", "出生年月", 12, lambda row: row["born"]),
]


def _table(rows):
    return Table(
        sheet="花名册", title="恩阳区村党组织书记后备力量花名册", subtitle="筛选：全部", columns=COLUMNS, rows=rows
    )


def test_formulas_come_back_as_text_and_print_settings_are_set():
    hostile = ['=HYPERLINK("http://x","点我")', "+1+1", "-2", "@SUM(A1)", "\tTAB", "\rCR", "普通"]
    rows = [{"n": i, "name": name, "born": datetime.date(1990, 5, 1)} for i, name in enumerate(hostile, 1)]
    sheet = load_workbook(io.BytesIO(workbook_bytes(_table(rows))))["花名册"]
    assert sheet["A1"].value == "恩阳区村党组织书记后备力量花名册"
    assert [c.value for c in sheet[3]] == ["序号", "姓名", "出生年月"]
    names = [sheet.cell(row=r, column=2) for r in range(4, 4 + len(hostile))]
    assert [c.value for c in names] == hostile
    assert all(c.data_type == "s" for c in names)
    assert all(c.quotePrefix for c in names[:-1]) and not names[-1].quotePrefix
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert "&P" in sheet.oddFooter.center.text
    assert sheet.column_dimensions["B"].width == 10
    assert sheet["C4"].is_date


def test_an_empty_table_still_has_its_headers():
    sheet = load_workbook(io.BytesIO(workbook_bytes(_table([]))))["花名册"]
    assert sheet.max_row == 3

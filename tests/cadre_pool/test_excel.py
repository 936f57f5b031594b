"""The shared Excel writer: parsed back with openpyxl."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from cadre_pool.excel import Column, Table, add_table, workbook_bytes

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


VALUES = [7, "甲乙", datetime.date(2026, 3, 4), datetime.datetime(2026, 3, 4, 5, 6), '=HYPERLINK("x")', "-1", None, 2.5]


def _typed_table(rows, sheet="名册"):
    return Table(
        sheet=sheet,
        title="标题",
        subtitle="筛选条件",
        columns=[Column(f"c{i}", f"列{i}", 12, lambda row, i=i: row[i]) for i in range(len(VALUES))],
        rows=rows,
    )


def _bordered_and_wrapped(cell) -> bool:
    sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
    return all(side.style == "thin" for side in sides) and cell.alignment.wrap_text and cell.alignment.vertical == "top"


def test_data_cells_keep_border_wrap_and_formats_on_every_sheet():
    content = workbook_bytes(_typed_table([VALUES, VALUES]), _typed_table([VALUES], sheet="第二页"))
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["名册", "第二页"]
    for sheet, rows in zip(workbook.worksheets, (2, 1), strict=True):
        assert sheet.max_row == 3 + rows
        for row in sheet.iter_rows(min_row=4):
            assert all(_bordered_and_wrapped(cell) for cell in row)
            number, text, day, moment, formula, minus, empty, fraction = row
            assert (number.value, number.data_type, number.number_format) == (7, "n", "General")
            assert (text.value, text.number_format, text.quotePrefix) == ("甲乙", "General", False)
            assert (day.value, day.number_format) == (datetime.datetime(2026, 3, 4), "yyyy-mm-dd")
            assert (moment.value, moment.number_format) == (datetime.datetime(2026, 3, 4, 5, 6), "yyyy-mm-dd hh:mm")
            # Formula-like text stays text, behind Excel's hidden apostrophe.
            assert (formula.value, formula.data_type, formula.quotePrefix) == ('=HYPERLINK("x")', "s", True)
            assert (minus.value, minus.data_type, minus.quotePrefix) == ("-1", "s", True)
            assert empty.value is None  # an empty value is still a bordered cell
            assert (fraction.value, fraction.number_format) == (2.5, "General")
        # The title, subtitle and header keep their own looks; the title row has no border.
        assert sheet["A1"].value == "标题" and sheet["A1"].font.sz == 16 and sheet["A1"].font.b
        assert sheet["A1"].border.left.style is None and not sheet["A1"].alignment.wrap_text
        assert sheet["A2"].font.sz == 10
        header = sheet[3]
        assert [cell.value for cell in header] == [f"列{i}" for i in range(len(VALUES))]
        assert all(_bordered_and_wrapped(cell) and cell.font.b for cell in header)
        assert header[0].fill.fgColor.rgb == "00F2DCDB"
        assert sheet.column_dimensions["A"].width == 12


def test_a_data_row_is_written_before_the_next_is_read():
    """Each data cell object is reused for the next value: the values of one row must not bleed into another."""
    rows = [[n, f"第{n}行", datetime.date(2026, 1, n), None, "", "", "", n / 2] for n in range(1, 6)]
    sheet = load_workbook(io.BytesIO(workbook_bytes(_typed_table(rows)))).active
    data = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[:3] for row in data] == [(n, f"第{n}行", datetime.datetime(2026, 1, n)) for n in range(1, 6)]
    assert [row[7] for row in data] == [n / 2 for n in range(1, 6)]


def test_add_table_needs_a_write_only_workbook():
    with pytest.raises(TypeError):
        add_table(Workbook(), _typed_table([VALUES]))

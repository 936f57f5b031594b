"""Meeting-ready Excel workbooks from any iterable of rows, in bounded memory.

One writer serves every export (rosters, supply lists, logs, round results, statistics):
a title row, a subtitle (filters, time, who), Chinese headers frozen and repeated on every
printed page, column widths, wrapped text, A4 landscape, page numbers in the footer. Text
that a spreadsheet would read as a formula is written as a plain string (S12).
"""

import contextlib
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cadre_pool.text import without_control_characters

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "|")
HEADER_ROW = 3  # title, subtitle, header


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    value: Callable[[object], object]


@dataclass(frozen=True)
class Table:
    sheet: str
    title: str
    subtitle: str
    columns: list[Column]
    rows: Iterable
    # The database alias the rows are read from, when they come from a server-side cursor (see add_table).
    database: str | None = None


def printable(text: str) -> str:
    """`text` without the control characters that a workbook cannot hold (openpyxl refuses them):
    one stored value must never stop a whole roster. Line breaks and tabs stay."""
    return without_control_characters(text)


def safe(value):
    """Values as a spreadsheet should store them: text never starts a formula nor holds control characters."""
    if value is None:
        return ""
    if isinstance(value, Promise):  # lazy translations
        return printable(str(value))
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return value


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(sheet, value, *, font=None, fill=None, border=None, alignment=None, number_format=None):
    value = safe(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # Stored as text and marked with Excel's hidden apostrophe: never evaluated, not even
        # after someone edits the cell, while the value itself stays exactly what was typed.
        cell.data_type = "s"
        cell.quotePrefix = True
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if border:
        cell.border = border
    if alignment:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


# The data cells' looks as named styles of the workbook: a cell takes one by name, where setting its
# border and alignment one by one looks each up in the workbook again, for every cell.
BODY_STYLES = {
    "cp-body": "General",
    "cp-body-text": "General",  # text that would start a formula, with the hidden apostrophe (BodyCells)
    "cp-body-date": "yyyy-mm-dd",
    "cp-body-datetime": "yyyy-mm-dd hh:mm",
}


def _add_body_styles(workbook: Workbook) -> None:
    for name, number_format in BODY_STYLES.items():
        if name not in workbook.named_styles:
            workbook.add_named_style(NamedStyle(name, border=_BORDER, alignment=_WRAP, number_format=number_format))


class BodyCells:
    """The data cells of one sheet: one styled cell per column and look, given each row's values in turn.

    A write-only sheet writes a row out as soon as it is appended, so the cells are free again for the
    next row; making and styling a new cell for every value took longer than writing the value.
    """

    def __init__(self, sheet, columns: int):
        self.sheet = sheet
        self.cells = [{} for _ in range(columns)]

    def cell(self, column: int, value) -> WriteOnlyCell:
        value = safe(value)
        if isinstance(value, datetime.datetime):
            style = "cp-body-datetime"
        elif isinstance(value, datetime.date):
            style = "cp-body-date"
        elif isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            style = "cp-body-text"
        else:
            style = "cp-body"
        cell = self.cells[column].get(style)
        if cell is None:
            cell = self.cells[column][style] = WriteOnlyCell(self.sheet)
            cell.style = style
            if style == "cp-body-text":
                cell.quotePrefix = True  # as `_cell` writes it: text with the hidden apostrophe
        cell.value = value
        if style == "cp-body-text":
            cell.data_type = "s"
        return cell


def add_table(workbook: Workbook, table: Table, progress: Callable[[int], None] | None = None) -> int:
    """Write one table as a sheet; returns the number of data rows."""
    if not workbook.write_only:
        raise TypeError("add_table writes to a write-only workbook: Workbook(write_only=True)")
    _add_body_styles(workbook)
    sheet = workbook.create_sheet(title=table.sheet[:31])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.evenFooter.center.text = "第 &P 页，共 &N 页"

    sheet.append([_cell(sheet, table.title, font=Font(size=16, bold=True))])
    sheet.append([_cell(sheet, table.subtitle, font=Font(size=10, color="555555"))])
    sheet.append(
        [
            _cell(sheet, column.header, font=Font(bold=True), fill=_HEADER_FILL, border=_BORDER, alignment=_WRAP)
            for column in table.columns
        ]
    )
    values = list(enumerate(column.value for column in table.columns))
    body = BodyCells(sheet, len(values))
    count = 0
    with _reading(table, progress):
        for count, row in enumerate(table.rows, start=1):
            sheet.append([body.cell(index, value(row)) for index, value in values])
            if progress and count % 1000 == 0:
                progress(count)
    return count


def _reading(table: Table, progress):
    """A transaction around the reading of the rows when nothing else is written meanwhile.

    Outside a transaction Django declares its server-side cursor WITH HOLD, and PostgreSQL then runs
    the whole query before handing over the first row (28 s for a million roster rows); inside one, rows
    arrive as they are found, 2,000 at a time. An export that reports its progress keeps the held
    cursor: its progress rows must be seen by the status page while the export runs.
    """
    if table.database is None or progress is not None:
        return contextlib.nullcontext()
    return transaction.atomic(using=table.database)


def workbook_bytes(*tables: Table) -> bytes:
    workbook = Workbook(write_only=True)
    for table in tables:
        add_table(workbook, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Excel exports: openpyxl's write-only workbook, every text cell neutralised against formula injection."""

import io
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook

# A cell starting with one of these would be read by Excel or LibreOffice as a formula (or DDE).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|")


def neutralise(value):
    """Text that would start a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_response(*, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(str(h)) for h in headers])
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{filename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

"""Reading an uploaded .xlsx workbook safely: bounded by what is really in it (S15).

A workbook is a zip of XML parts. Before openpyxl opens it, every part is checked: its declared size
(which `zipfile` also enforces while inflating) against a cap and a ratio, and its whole XML
streamed through expat, refusing any DTD or entity declaration wherever it stands. Then the first
sheet is read row by row without trusting its `<dimension>`: a sheet that declares `A1:XFD1048576`
must not be padded to sixteen thousand columns, and one that declares `A1:P5` must not lose its
sixth row. Rows keep their cells up to the last one with a value, and the cells, rows and
columns read are capped as they stream, so memory stays bounded whatever the file claims.
"""

import io
import xml.parsers.expat
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

# Zip bombs: refuse archives that inflate far beyond a real roster.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "activex")
# A roster has a few dozen columns; Excel allows 16,384.
MAX_COLUMNS = 200
# Cells over the whole sheet, each row counted up to its last cell: far beyond the largest roster
# we accept, and still a bound on the work a file can ask for.
MAX_CELLS = 5_000_000
# openpyxl keeps every shared string in memory; a real roster's take a few megabytes.
MAX_SHARED_STRINGS = 16 * 1024 * 1024
_CHUNK = 64 * 1024


class FileRejected(ValidationError):
    """The file itself is unacceptable; nothing was read from it."""


class Formula(str):
    """A cell that holds a formula: reported, never evaluated."""


def _not_xlsx() -> FileRejected:
    return FileRejected(_("This is not an Excel .xlsx workbook. Save the file as .xlsx and try again."), code="type")


def _refuse_declarations(*_args):
    raise FileRejected(_("The workbook contains XML declarations that are not allowed."), code="entities")


def _check_xml(part) -> None:
    """Stream one XML part through expat: a DTD or an entity declaration anywhere refuses the file."""
    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    parser.ExternalEntityRefHandler = _refuse_declarations
    try:
        while chunk := part.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        raise FileRejected(_("The workbook could not be read: %(error)s") % {"error": "XML"}, code="damaged") from exc


def check_file(content: bytes) -> None:
    """Refuse anything but a plain .xlsx workbook of reasonable size."""
    if not content:
        raise FileRejected(_("The file is empty."), code="empty")
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise FileRejected(_("The file is larger than the limit for imports."), code="too_large")
    if not content.startswith(b"PK\x03\x04"):
        raise _not_xlsx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
        names = [info.filename.lower() for info in infos]
        if "[content_types].xml" not in names or not any(name.startswith("xl/") for name in names):
            raise _not_xlsx()
        if any(part in name for name in names for part in MACRO_PARTS):
            raise FileRejected(
                _("The workbook contains macros; save it as a plain .xlsx without macros."), code="macros"
            )
        inflated = sum(info.file_size for info in infos)
        if inflated > MAX_UNCOMPRESSED or inflated > MAX_RATIO * len(content):
            raise FileRejected(_("The workbook unpacks to an implausible size and was refused."), code="zip_bomb")
        strings = [info for info in infos if info.filename.lower() == "xl/sharedstrings.xml"]
        if strings and strings[0].file_size > MAX_SHARED_STRINGS:
            raise FileRejected(
                _("The workbook holds more text than any roster; split it into smaller files."), code="shared_strings"
            )
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                # zipfile inflates at most the declared size, which the sum above has capped.
                with archive.open(info) as part:
                    _check_xml(part)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise _not_xlsx() from exc


def read_rows(content: bytes, *, max_rows: int) -> list[tuple]:
    """The first sheet's rows, from the first to the last with a value, formulas left unevaluated.

    Each row ends at its last cell with a value; an empty row is an empty tuple, so that a row's
    position in the list is its position in the sheet. Refused: more than `max_rows` non-empty
    rows, a value beyond column MAX_COLUMNS, more than MAX_CELLS cells in the file's rows.
    """
    check_file(content)
    rows, cells, filled = [], 0, 0
    try:
        # openpyxl parses XML with defusedxml when it is installed (it is a dependency).
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        # Forget the sheet's own claim about its size: rows are read as they stand in the file,
        # each as wide as its last cell, and rows missing from the file come as empty tuples.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells += len(row)
            if cells > MAX_CELLS:
                raise FileRejected(
                    _("The sheet holds more cells than a roster of %(limit)d rows can; split it into smaller files.")
                    % {"limit": settings.IMPORT_MAX_ROWS},
                    code="too_many_cells",
                )
            if len(row) > MAX_COLUMNS:
                # Counted in C: a styled but empty cell far to the right is harmless, a value is not.
                beyond = row[MAX_COLUMNS:]
                if beyond.count(None) + beyond.count("") != len(beyond):
                    last = len(row) - next(i for i, v in enumerate(reversed(row)) if v not in (None, ""))
                    raise FileRejected(
                        _("Cell %(cell)s holds a value beyond column %(limit)s; a roster has fewer columns.")
                        % {"cell": f"{get_column_letter(last)}{number}", "limit": get_column_letter(MAX_COLUMNS)},
                        code="too_many_columns",
                    )
                row = row[:MAX_COLUMNS]
            values = list(row)
            while values and values[-1] in (None, ""):
                values.pop()
            if not values:
                rows.append(())
                continue
            filled += 1
            if filled > max_rows:
                raise FileRejected(
                    _("The sheet has more than %(limit)d rows; split it into smaller files.")
                    % {"limit": settings.IMPORT_MAX_ROWS},
                    code="too_many_rows",
                )
            rows.append(tuple(Formula(v) if isinstance(v, str) and v.startswith("=") else v for v in values))
        workbook.close()
        while rows and not rows[-1]:
            rows.pop()
    except FileRejected:
        raise
    except Exception as exc:  # a damaged or hostile workbook of any kind
        raise FileRejected(_("The workbook could not be read: %(error)s") % {"error": type(exc).__name__}) from exc
    return rows

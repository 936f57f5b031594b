"""Reading what townships really type into Excel: headers, dates, ID numbers, phones and code names.

Everything here works on plain cell values (no database): the importer hands in the code tables.
Reasons are short translated clauses; the importer puts the column heading and the value in front.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cadre_pool.text import without_control_characters
from candidates.identity import id_check_char

# Headers as townships write them, mapped to field names. Compared after `header_key()`.
# "seq" (序号) is recognised so that a numbered but empty row counts as empty.
HEADER_ALIASES = {
    "seq": ["序号", "编号", "序"],
    "township": ["乡镇(街道)", "乡镇", "乡镇街道", "街道", "所在乡镇", "乡镇名称", "所属乡镇"],
    "village": ["村(社区)", "村", "村社区", "社区", "所在村", "村(社区)名称", "所在村(社区)", "村名", "所属村", "村别"],
    "name": ["姓名", "名字", "姓 名", "人员姓名"],
    "gender": ["性别"],
    "ethnicity": ["民族"],
    "birth_date": ["出生年月", "出生日期", "出生年月日", "出生时间", "生日"],
    "native_place": ["籍贯"],
    "political_status": ["政治面貌", "政治身份"],
    "party_entry_date": ["入党时间", "入党日期", "入党年月", "入党(团)时间"],
    "education": ["学历", "文化程度", "最高学历", "现学历"],
    "fulltime_education": ["全日制学历", "全日制教育", "全日制教育学历"],
    "inservice_education": ["在职学历", "在职教育", "在职教育学历"],
    "degree": ["学位", "最高学位"],
    "school_major": ["毕业院校及专业", "毕业院校", "学校及专业", "毕业学校及专业", "毕业院校及所学专业"],
    "inservice_school": ["在职教育毕业院校及专业", "在职毕业院校及专业"],
    "id_number": ["公民身份号码", "身份证号", "身份证号码", "身份证", "公民身份证号码", "身份证件号码"],
    "phone": ["联系电话", "手机", "手机号", "手机号码", "电话", "联系方式", "电话号码"],
    "source_category": ["人员类别", "类别", "来源类别", "人员类型", "后备力量类别", "类型"],
    "employer": ["现工作单位及职务", "工作单位及职务", "工作单位", "现工作单位", "现任职务", "现从事工作"],
    "occupation": ["行业及职业", "从事行业", "职业"],
    "current_city": ["现务工经商地", "务工地", "务工经商地点", "现居住地"],
    "health": ["健康状况", "身体状况"],
    "skills": ["产业经验或专业技能", "专业技能", "产业经验", "特长", "专长"],
    "rewards_punishments": ["奖惩情况"],
    "notes": ["备注"],
}

# Two-row headers: a group heading over its sub-headings (学历 over 全日制 and 在职).
GROUPS = {
    "education": {"全日制": "fulltime_education", "在职": "inservice_education"},
    "school_major": {"全日制": "school_major", "在职": "inservice_school"},
}
SUBHEADING_PREFIXES = ("全日制", "在职")

# What a cell holds when it means "nothing here".
BLANK_MARKERS = frozenset({"无", "/", "／", "\\", "-", "—", "——", "－", "暂无", "空", "无。"})


def fold(text) -> str:
    """Full-width letters and digits to half-width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def header_key(text) -> str:
    return re.sub(r"\s+", "", fold(text or "")).replace("（", "(").replace("）", ")")


code_key = header_key

_ALIAS_TO_FIELD = {header_key(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


def field_for_header(text) -> str | None:
    return _ALIAS_TO_FIELD.get(header_key(text))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and (not value.strip() or fold(value) in BLANK_MARKERS))


@dataclass
class Header:
    """Where the header is and what each column holds."""

    rows: list[int]  # 0-based indices of the header's rows (one or two)
    fields: dict[int, str]  # column → field name
    written: dict[int, str]  # column → the heading as written ("学历（全日制）" for two rows)
    unknown: list[str] = field(default_factory=list)  # headings of columns the import does not read

    @property
    def first_data_row(self) -> int:
        return self.rows[-1] + 1

    def column(self, name: str) -> str | None:
        """The heading as written of the column that holds `name`, or None."""
        for column, field_name in self.fields.items():
            if field_name == name:
                return self.written[column]
        return None


def _filled(row: tuple) -> list[str]:
    """The row's cells as text, a merged cell's value carried over the empty cells it covers."""
    texts, last = [], ""
    for cell in row:
        value = "" if cell is None else fold(cell)
        texts.append(value or last)
        last = value or last
    return texts


def _sub_field(top: str, bottom: str) -> str | None:
    group = field_for_header(top)
    for prefix in SUBHEADING_PREFIXES:
        if header_key(bottom).startswith(prefix) and group in GROUPS:
            return GROUPS[group][prefix]
    return field_for_header(bottom)


def _single(row: tuple) -> tuple[dict[int, str], dict[int, str]]:
    fields, written = {}, {}
    for column, cell in enumerate(row):
        name = field_for_header(cell) if cell is not None else None
        if name and name not in fields.values():
            fields[column], written[column] = name, re.sub(r"\s+", "", fold(cell))
    return fields, written


def _double(top_row: tuple, bottom_row: tuple) -> tuple[dict[int, str], dict[int, str]]:
    fields, written = {}, {}
    tops = _filled(top_row)
    for column in range(max(len(top_row), len(bottom_row))):
        top = tops[column] if column < len(tops) else ""
        bottom = fold(bottom_row[column]) if column < len(bottom_row) and bottom_row[column] is not None else ""
        if bottom:
            name = _sub_field(top, bottom)
            heading = f"{top}（{bottom}）" if top and field_for_header(top) in GROUPS else bottom
        else:
            own = top_row[column] if column < len(top_row) else None
            name = field_for_header(own) if own is not None else None
            heading = top
        if name and name not in fields.values():
            fields[column], written[column] = name, re.sub(r"\s+", "", heading)
    return fields, written


def find_header(rows: list[tuple], scan: int = 20) -> Header | None:
    """The first row among the first `scan` that names the person's name and two more known columns.
    Title rows above it are skipped; a second header row below it (sub-headings under merged cells) is
    read with it when the row below has nothing under the name column, as a data row would."""
    for index, row in enumerate(rows[:scan]):
        fields, written = _single(row)
        if len(fields) < 3 or "name" not in fields.values():
            continue
        header_rows = [index]
        if index + 1 < len(rows):
            below = rows[index + 1]
            name_column = next(c for c, f in fields.items() if f == "name")
            under_name = below[name_column] if name_column < len(below) else None
            if is_blank(under_name):
                two_fields, two_written = _double(row, below)
                if len(two_fields) > len(fields):
                    fields, written, header_rows = two_fields, two_written, [index, index + 1]
        unknown = []
        for column in range(max(len(rows[i]) for i in header_rows)):
            if column not in fields:
                heading = "".join(
                    fold(rows[i][column]) for i in header_rows if column < len(rows[i]) and rows[i][column] is not None
                )
                if heading:
                    unknown.append(heading)
        return Header(rows=header_rows, fields=fields, written=written, unknown=unknown)
    return None


def find_header_row(rows: list[tuple], scan: int = 20) -> tuple[int, dict[int, str]] | None:
    """The header's last row and its column map (see `find_header`)."""
    header = find_header(rows, scan)
    return None if header is None else (header.rows[-1], header.fields)


# --- rows that are not people ----------------------------------------------------------------------

_SUMMARY = re.compile(r"^(合计|小计|总计|共计|汇总|总人数|人数合计|累计)")
_COUNT = re.compile(r"^(共|计|合计)?\d+(人|名)?$")
_FOOTER = re.compile(
    r"^(填表人|制表人|审核人|审核|填报人|填报单位|填报日期|填表日期|制表日期|负责人|联系人|注[:：]|说明[:：]|备注[:：]|单位[:：])"
)


def skip_reason(row: tuple, header: Header) -> str | None:
    """Why a row below the header is not a person, or None when it is one (or may be: then it is checked)."""
    cells = {column: fold(value) for column, value in enumerate(row) if value is not None and fold(value)}
    # A serial number alone does not make a person, nor does a formula numbering the rows (=ROW()-3);
    # a word in the serial column ("合计") is content.
    content = {
        c: v for c, v in cells.items() if header.fields.get(c) != "seq" or not (v.isdigit() or v.startswith("="))
    }
    if not cells:
        return _("blank row")
    if not content:
        return _("only a serial number, no person")
    texts = [re.sub(r"\s+", "", v) for v in content.values()]
    id_column = next((c for c, f in header.fields.items() if f == "id_number"), None)
    has_id = id_column in content and bool(re.search(r"\d{6}", content[id_column]))
    if any(_SUMMARY.match(text) for text in texts) and not has_id:
        return _("a total row")
    if len(texts) <= 2 and all(_COUNT.match(text) for text in texts):
        return _("a row holding only a count")
    if _FOOTER.match(texts[0]) and not has_id:
        return _("a note or signature line below the roster")
    same = sum(1 for c, v in content.items() if c in header.fields and field_for_header(v) == header.fields[c])
    if same >= 3:
        return _("the header repeated")
    return None


# --- values ----------------------------------------------------------------------------------------


class NormaliseError(ValueError):
    """A value that cannot be read; the message is a reason the importer prefixes with column and value."""


class AmbiguousDate(NormaliseError):
    """A number like 1990.1, which Excel keeps for both 1990.01 and 1990.10."""

    def __init__(self, message: str, options: list[datetime.date]):
        super().__init__(message)
        self.options = options


_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?$"), True),
    (re.compile(r"^(\d{4})[.\-/年](\d{1,2})月?(份)?$"), False),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), True),
    (re.compile(r"^(\d{4})(\d{2})$"), False),
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serial numbers of dates from 1927 to 2119: smaller or larger numbers are not dates of people's lives.
SERIALS = range(10_000, 80_000)


def _date_reason() -> str:
    return _("not a date; write it as 1990.03, 1990年3月 or 1990-03-14")


def parse_date(value) -> tuple[datetime.date, bool] | None:
    """(date, has_day) from an Excel date or serial number, or text like 1990.3, 1990年3月, 199003 or
    1990-03-14; None if empty. A month without a day is taken as its first day, and `has_day` says so."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date(), True
    if isinstance(value, datetime.date):
        return value, True
    if isinstance(value, bool):
        raise NormaliseError(_date_reason())
    if isinstance(value, int | float):
        return _number_date(value)
    text = re.sub(r"\s+", "", fold(value)).lstrip("'").rstrip(".。")
    text = re.sub(r"(\d)(00:00(:00)?)$", r"\1", text)  # "1990-03-1400:00:00" once spaces are gone
    if re.fullmatch(r"\d{5}", text):
        return _number_date(int(text))
    for pattern, has_day in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            day = int(match.group(3)) if has_day else 1
            try:
                return datetime.date(year, month, day), has_day
            except ValueError as exc:
                raise NormaliseError(_("there is no such date")) from exc
    raise NormaliseError(_date_reason())


def _number_date(value: int | float) -> tuple[datetime.date, bool]:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if value in SERIALS:
            return EXCEL_EPOCH + datetime.timedelta(days=value), True
        return parse_date(str(value))
    whole, fraction = f"{value:.6f}".rstrip("0").split(".")
    if int(whole) in SERIALS:  # a date with a time of day
        return EXCEL_EPOCH + datetime.timedelta(days=int(whole)), True
    if len(whole) == 4 and fraction == "1":
        year = int(whole)
        raise AmbiguousDate(
            _("could be January or October; type it as 1990.01 or 1990.10 in a text cell"),
            [datetime.date(year, 1, 1), datetime.date(year, 10, 1)],
        )
    if len(whole) == 4 and len(fraction) <= 2:
        return parse_date(f"{whole}.{fraction}")
    raise NormaliseError(_date_reason())


def id_number_text(value) -> str:
    """ID numbers as text, also when Excel kept them as numbers or a roster wrote them with a leading
    apostrophe, dashes, spaces or full-width digits.

    A number cell is a double: an 18-digit number survives only when it happens to be exactly
    representable. The check character then decides; a number that fails it is reported as the
    rounding it almost certainly is.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        raise NormaliseError(_("not an ID number"))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise NormaliseError(excel_number_reason())
        digits = f"{int(value)}"
        if len(digits) == 18 and id_check_char(digits[:17]) != digits[17]:
            raise NormaliseError(excel_number_reason())
        return digits
    return re.sub(r"[\s\-－—']", "", fold(value)).upper()


def excel_number_reason() -> str:
    return _("Excel stored the number as a number and lost its last digits: set the column to text and type it again")


def phone_text(value) -> str:
    """A mobile number from 138-1234-5678, 138 1234 5678, +86 13812345678, '13812345678 or full-width digits."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = re.sub(r"[\s\-－—'()（）.]", "", fold(value))
    if digits.startswith("+"):
        digits = digits[1:]
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    return digits


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # A cell pasted from another system may carry control characters (cadre_pool.text).
    return without_control_characters(fold(value))


@dataclass
class CodeTable:
    """One code table as the importer matches it: every spelling (code, name, short name, synonyms)
    folded to the codes it stands for, and the names for unique-prefix matches."""

    names: dict[str, str]  # code → name, in table order
    spellings: dict[str, set[str]]

    @classmethod
    def build(cls, entries: list[tuple[str, str, str]], synonyms: list[tuple[str, str]] = ()) -> "CodeTable":
        names = {code: name for code, name, _short in entries}
        spellings: dict[str, set[str]] = {}
        for code, name, short in entries:
            for spelling in (code, name, short):
                if spelling:
                    spellings.setdefault(code_key(spelling), set()).add(code)
        for code, synonym in synonyms:
            if code in names and synonym:
                spellings.setdefault(code_key(synonym), set()).add(code)
        return cls(names=names, spellings=spellings)


def match_code(value, table: CodeTable) -> str:
    """A code from its code, name, short name or a synonym ("01", "中国共产党党员", "中共党员", "党员"), or
    from the start of exactly one name ("大学本科" → 大学本科毕业); "" when empty."""
    if is_blank(value):
        return ""
    wanted = code_key(text(value))
    codes = table.spellings.get(wanted, set())
    if not codes:
        codes = {code for code, name in table.names.items() if code_key(name).startswith(wanted)}
    if len(codes) == 1:
        return next(iter(codes))
    if not codes:
        raise NormaliseError(_("no value of the code table is written like this"))
    options = "、".join(table.names[code] for code in table.names if code in codes)
    raise NormaliseError(_("could be any of %(options)s: write one of them") % {"options": options})

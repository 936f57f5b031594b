"""Reading what townships really type into Excel: dates, ID numbers and code names in many forms."""

import datetime
import re
import unicodedata

from candidates.identity import id_check_char

# Headers as townships write them, mapped to field names. Compared after `header_key()`.
HEADER_ALIASES = {
    "township": ["乡镇(街道)", "乡镇", "乡镇街道", "街道", "所在乡镇"],
    "village": ["村(社区)", "村", "村社区", "社区", "所在村", "村(社区)名称"],
    "name": ["姓名", "名字"],
    "gender": ["性别"],
    "ethnicity": ["民族"],
    "birth_date": ["出生年月", "出生日期", "出生年月日"],
    "political_status": ["政治面貌"],
    "party_entry_date": ["入党时间", "入党日期", "入党年月"],
    "education": ["学历", "文化程度", "最高学历"],
    "school_major": ["毕业院校及专业", "毕业院校", "学校及专业"],
    "id_number": ["公民身份号码", "身份证号", "身份证号码", "身份证"],
    "phone": ["联系电话", "手机", "手机号", "手机号码", "电话"],
    "source_category": ["人员类别", "类别", "来源类别"],
    "employer": ["现工作单位及职务", "工作单位及职务", "工作单位", "现工作单位"],
    "skills": ["产业经验或专业技能", "专业技能", "产业经验"],
    "notes": ["备注"],
}


def fold(text: str) -> str:
    """Full-width letters and digits to half-width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def header_key(text) -> str:
    return re.sub(r"\s+", "", fold(text or "")).replace("（", "(").replace("）", ")")


_ALIAS_TO_FIELD = {header_key(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases}


def field_for_header(text) -> str | None:
    return _ALIAS_TO_FIELD.get(header_key(text))


def find_header_row(rows: list[tuple], scan: int = 20) -> tuple[int, dict[int, str]] | None:
    """The first row (0-based) among the first `scan` that names at least three known columns,
    with the column index → field map. Title rows above the header are skipped."""
    for index, row in enumerate(rows[:scan]):
        mapping = {}
        for column, cell in enumerate(row):
            field = field_for_header(cell) if cell is not None else None
            if field and field not in mapping.values():
                mapping[column] = field
        if len(mapping) >= 3 and "name" in mapping.values():
            return index, mapping
    return None


class NormaliseError(ValueError):
    pass


_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?$"), True),
    (re.compile(r"^(\d{4})[.\-/年](\d{1,2})月?$"), False),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), True),
    (re.compile(r"^(\d{4})(\d{2})$"), False),
]


def parse_date(value) -> tuple[datetime.date, bool] | None:
    """(date, has_day) from an Excel date or text like 1990.05, 1990-5-1, 199005, 1990年5月; None if empty.
    A month without a day is taken as its first day, and `has_day` says so."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date(), True
    if isinstance(value, datetime.date):
        return value, True
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = fold(value).replace(" ", "")
    if isinstance(value, float):
        # 1990.05 typed as a number arrives as the float 1990.05.
        text = f"{value:.2f}"
    for pattern, has_day in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            day = int(match.group(3)) if has_day else 1
            try:
                return datetime.date(year, month, day), has_day
            except ValueError as exc:
                raise NormaliseError(f"“{value}”不是有效日期") from exc
    raise NormaliseError(f"“{value}”无法识别为日期（可写作 1990.05、1990-5-1、199005 或 1990年5月）")


def id_number_text(value) -> str:
    """ID numbers as text, also when Excel kept them as numbers.

    A number cell is a double: an 18-digit number survives only when it happens to be exactly
    representable. The check character then decides; a number that fails it is reported as the
    rounding it almost certainly is.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        raise NormaliseError("身份证号码不是文本")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise NormaliseError(EXCEL_NUMBER_MESSAGE)
        digits = f"{int(value)}"
        if len(digits) == 18 and id_check_char(digits[:17]) != digits[17]:
            raise NormaliseError(EXCEL_NUMBER_MESSAGE)
        return digits
    return re.sub(r"\s+", "", fold(value)).upper()


EXCEL_NUMBER_MESSAGE = "身份证号码被 Excel 存成了数字，末几位已经丢失：请把该列设为“文本”后重新填写"


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return fold(value)


def match_code(value, entries: list[tuple[str, str, str]], what: str) -> str:
    """A code from its code, name or short name ("01", "中国共产党党员", "中共党员"), or a unique prefix of a
    name ("大学本科" → 大学本科毕业). `entries` are (code, name, short_name)."""
    wanted = text(value)
    if not wanted:
        return ""
    for code, name, short in entries:
        if wanted in {code, name, short}:
            return code
    prefixed = [code for code, name, _short in entries if name.startswith(wanted)]
    if len(prefixed) >= 1:
        return prefixed[0]
    raise NormaliseError(f"{what}“{wanted}”不在代码表中")

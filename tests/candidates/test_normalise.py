import datetime

import pytest

from candidates.identity import id_check_char
from candidates.normalise import (
    AmbiguousDate,
    CodeTable,
    NormaliseError,
    find_header,
    find_header_row,
    id_number_text,
    match_code,
    parse_date,
    phone_text,
    skip_reason,
)

D = datetime.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime.datetime(1990, 5, 1), (D(1990, 5, 1), True)),
        (datetime.date(1990, 5, 1), (D(1990, 5, 1), True)),
        ("1990.05", (D(1990, 5, 1), False)),
        ("1990.3", (D(1990, 3, 1), False)),
        ("1990.03", (D(1990, 3, 1), False)),
        (1990.05, (D(1990, 5, 1), False)),
        (1990.3, (D(1990, 3, 1), False)),
        (1990.12, (D(1990, 12, 1), False)),
        ("1990-5-1", (D(1990, 5, 1), True)),
        ("1990-03-14", (D(1990, 3, 14), True)),
        ("1990-03-14 00:00:00", (D(1990, 3, 14), True)),
        ("1990/3/14", (D(1990, 3, 14), True)),
        ("1990.3.14", (D(1990, 3, 14), True)),
        ("199005", (D(1990, 5, 1), False)),
        (199003, (D(1990, 3, 1), False)),
        ("19900314", (D(1990, 3, 14), True)),
        (19900314, (D(1990, 3, 14), True)),
        ("1990年5月", (D(1990, 5, 1), False)),
        ("1990年3月14日", (D(1990, 3, 14), True)),
        ("1990 年 3 月", (D(1990, 3, 1), False)),
        ("１９９０．０５ ", (D(1990, 5, 1), False)),
        ("'1990.05", (D(1990, 5, 1), False)),
        (32946, (D(1990, 3, 14), True)),  # an Excel serial number
        (32946.5, (D(1990, 3, 14), True)),  # a serial with a time of day
        ("32946", (D(1990, 3, 14), True)),
        ("", None),
        ("无", None),
        ("/", None),
        (None, None),
    ],
)
def test_dates_in_the_forms_townships_use(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["1990.13", "五月", "90.5", "1990", 1990, "1990-02-30", True])
def test_bad_dates_say_how_to_write_them(raw):
    with pytest.raises(NormaliseError):
        parse_date(raw)


def test_a_number_like_1990_1_is_january_or_october():
    with pytest.raises(AmbiguousDate) as info:
        parse_date(1990.1)
    assert info.value.options == [D(1990, 1, 1), D(1990, 10, 1)]
    assert parse_date("1990.1") == (D(1990, 1, 1), False)  # typed as text it is what it says


def test_id_numbers_as_text_numbers_and_with_spaces_dashes_and_apostrophes():
    assert id_number_text(" 511903 19900501 001x ") == "51190319900501001X"
    assert id_number_text("５１１９０３１９９００５０１００１Ｘ") == "51190319900501001X"
    assert id_number_text("'51190319900501001X") == "51190319900501001X"
    assert id_number_text("511903-19900501-001X") == "51190319900501001X"
    exact = exactly_representable_id()
    assert id_number_text(float(exact)) == exact
    assert id_number_text(int(exact)) == exact
    with pytest.raises(NormaliseError):
        id_number_text(5.119031990050122e17)  # Excel rounding: the check character no longer fits


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138-1234-5678",
        "138 1234 5678",
        "１３８１２３４５６７８",
        "'13812345678",
        "+86 138 1234 5678",
        "+8613812345678",
        "8613812345678",
        "0086-138-1234-5678",
        13812345678,
        13812345678.0,
        "(138)1234-5678",
    ],
)
def test_phones_as_townships_write_them(raw):
    assert phone_text(raw) == "13812345678"


def test_phones_that_are_not_mobiles_stay_as_written():
    assert phone_text("0827-5212345") == "08275212345"
    assert phone_text("无") == ""


POLITICAL = CodeTable.build(
    [("01", "中国共产党党员", "中共党员"), ("02", "中国共产党预备党员", "中共预备党员"), ("13", "群众", "群众")],
    [("01", "党员"), ("02", "预备党员"), ("99", "不存在的代码")],
)
EDUCATION = CodeTable.build(
    [("21", "大学本科毕业", ""), ("22", "大学本科结业", ""), ("31", "大学专科毕业", "")],
    [("31", "大专"), ("21", "本科")],
)


def test_codes_by_code_name_short_name_synonym_or_unique_prefix():
    assert match_code("中共党员", POLITICAL) == "01"
    assert match_code("中国共产党党员 ", POLITICAL) == "01"
    assert match_code("党员", POLITICAL) == "01"
    assert match_code("预备党员", POLITICAL) == "02"
    assert match_code("13", POLITICAL) == "13"
    assert match_code("大 专", EDUCATION) == "31"
    assert match_code("本科", EDUCATION) == "21"
    assert match_code("大学专科", EDUCATION) == "31"  # the start of one name only
    assert match_code("", EDUCATION) == ""
    with pytest.raises(NormaliseError, match="大学本科毕业、大学本科结业"):
        match_code("大学本科", EDUCATION)  # the start of two names: ambiguous
    with pytest.raises(NormaliseError):
        match_code("博士后", EDUCATION)
    with pytest.raises(NormaliseError):
        match_code("不存在的代码", POLITICAL)  # a synonym of a code the table lacks is not used


def test_header_row_below_title_rows_with_columns_in_any_order():
    rows = [
        ("明阳镇后备力量花名册", None, None),
        ("填报日期：2026年11月", None, None),
        ("身份证号", " 姓 名 ", "政治面貌", "出生年月"),
        ("511903...", "张三", "中共党员", "1990.05"),
    ]
    index, mapping = find_header_row(rows)
    assert index == 2
    assert mapping == {0: "id_number", 1: "name", 2: "political_status", 3: "birth_date"}


def test_two_row_header_under_merged_cells():
    rows = [
        ("花名册", None, None, None, None, None),
        ("序号", "姓名", "公民身份号码", "学历", None, "婚姻状况"),
        (None, None, None, "全日制教育", "在职教育", None),
        (1, "张三", "5119", "大专", "本科", "已婚"),
    ]
    header = find_header(rows)
    assert header.rows == [1, 2]
    assert header.fields == {
        0: "seq",
        1: "name",
        2: "id_number",
        3: "fulltime_education",
        4: "inservice_education",
    }
    assert header.written[3] == "学历（全日制教育）"
    assert header.column("inservice_education") == "学历（在职教育）"
    assert header.unknown == ["婚姻状况"]
    assert header.first_data_row == 3


HEADER = find_header([("序号", "姓名", "公民身份号码", "政治面貌", "联系电话")])


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ((None, None, None, None, None), "空行"),
        ((7, None, "", None, None), "只有序号，没有人员信息"),
        (("=ROW()-3", None, None, None, None), "只有序号，没有人员信息"),
        (("合计", None, None, None, None), "合计行"),
        (("合计：14人", None, None, None, None), "合计行"),
        ((None, "小计", "3人", None, None), "合计行"),
        (("总计", 14, None, None, None), "合计行"),
        ((None, None, 14, None, None), "只有人数的行"),
        ((None, "共14人", None, None, None), "只有人数的行"),
        (("填表人：王五", None, None, "审核人：赵六", None), "表尾的说明或签名行"),
        (("序号", "姓名", "公民身份号码", "政治面貌", None), "重复的表头行"),
        ((1, "张三", "51190319900501001X", "群众", "13812345678"), None),
        ((1, "张三", None, None, None), None),  # a person with missing data: checked, not skipped
    ],
)
def test_rows_that_are_not_people(row, reason):
    assert skip_reason(row, HEADER) == reason


def exactly_representable_id() -> str:
    """An 18-digit ID whose value a double holds exactly (a multiple of 64 at this size)."""
    for sequence in range(1000):
        body = f"51190319900501{sequence:03d}"
        number = body + id_check_char(body)
        if number[-1] != "X" and int(number) % 64 == 0:
            return number
    raise AssertionError("none found")

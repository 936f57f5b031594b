import datetime

import pytest

from candidates.normalise import NormaliseError, find_header_row, id_number_text, match_code, parse_date

D = datetime.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime.datetime(1990, 5, 1), (D(1990, 5, 1), True)),
        ("1990.05", (D(1990, 5, 1), False)),
        (1990.05, (D(1990, 5, 1), False)),
        ("1990-5-1", (D(1990, 5, 1), True)),
        ("199005", (D(1990, 5, 1), False)),
        (199005, (D(1990, 5, 1), False)),
        ("19900501", (D(1990, 5, 1), True)),
        ("1990年5月", (D(1990, 5, 1), False)),
        ("1990年5月3日", (D(1990, 5, 3), True)),
        ("１９９０．０５ ", (D(1990, 5, 1), False)),
        ("1990/5/1", (D(1990, 5, 1), True)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_the_forms_townships_use(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["1990.13", "五月", "90.5"])
def test_bad_dates_say_how_to_write_them(raw):
    with pytest.raises(NormaliseError):
        parse_date(raw)


def test_id_numbers_as_text_numbers_and_with_spaces():
    assert id_number_text(" 511903 19900501 001x ") == "51190319900501001X"
    assert id_number_text("５１１９０３１９９００５０１００１Ｘ") == "51190319900501001X"
    exact = exactly_representable_id()
    assert id_number_text(float(exact)) == exact
    assert id_number_text(int(exact)) == exact
    with pytest.raises(NormaliseError):
        id_number_text(5.119031990050122e17)  # Excel rounding: the check character no longer fits


def test_codes_by_code_name_short_name_or_prefix():
    political = [("01", "中国共产党党员", "中共党员"), ("13", "群众", "群众")]
    education = [("21", "大学本科毕业", ""), ("31", "大学专科毕业", "")]
    assert match_code("中共党员", political, "政治面貌") == "01"
    assert match_code("中国共产党党员 ", political, "政治面貌") == "01"
    assert match_code("13", political, "政治面貌") == "13"
    assert match_code("大学本科", education, "学历") == "21"
    with pytest.raises(NormaliseError):
        match_code("博士后", education, "学历")


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


def exactly_representable_id() -> str:
    """An 18-digit ID whose value a double holds exactly (a multiple of 64 at this size)."""
    from candidates.identity import id_check_char

    for sequence in range(1000):
        body = f"51190319900501{sequence:03d}"
        number = body + id_check_char(body)
        if number[-1] != "X" and int(number) % 64 == 0:
            return number
    raise AssertionError("none found")

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cadre_pool.personal import mask_id_number, mask_mobile, mask_numbers
from candidates.identity import (
    id_birth_date,
    id_check_char,
    id_gender_code,
    normalise_id_number,
    normalise_mobile,
    validate_id_number,
    validate_mobile,
)

VALID = ["11010519491231002X", "440524188001010014", "11010219840406970X", "370101190102039973"]
INVALID = ["110105194912310021", "11010219840506970X", "440524189001010014", "11020519491231002X"]


@pytest.mark.parametrize("number", VALID)
def test_worked_examples_from_the_standard_are_valid(number):
    validate_id_number(number)


@pytest.mark.parametrize("number", INVALID)
def test_published_negative_examples_are_rejected(number):
    with pytest.raises(ValidationError) as info:
        validate_id_number(number)
    assert info.value.code == "id_checksum"


def test_birth_date_and_gender_are_read_from_the_number():
    assert id_birth_date("11010519491231002X") == datetime.date(1949, 12, 31)
    assert id_gender_code("11010519491231002X") == "2"
    assert id_gender_code("440524188001010014") == "1"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
    ],
)
def test_lowercase_x_full_width_digits_and_spaces_are_normalised(raw, expected):
    assert normalise_id_number(raw) == expected
    validate_id_number(normalise_id_number(raw))


@pytest.mark.parametrize(
    ("number", "code"),
    [("1101051949123100", "id_length"), ("11010519491231002Y", "id_characters"), ("110105194913310021", "id_birth")],
)
def test_each_kind_of_bad_number_has_its_own_error(number, code):
    with pytest.raises(ValidationError) as info:
        validate_id_number(number)
    assert info.value.code == code


def test_a_birth_date_in_the_future_is_rejected():
    body = f"511903{datetime.date.today().year + 1}0101001"
    with pytest.raises(ValidationError):
        validate_id_number(body + id_check_char(body))


birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31))
bodies = st.builds(
    lambda area, born, seq: f"{area:06d}{born:%Y%m%d}{seq:03d}",
    st.integers(110000, 659999),
    birth_dates,
    st.integers(0, 999),
)


@given(bodies)
def test_any_number_with_the_right_check_character_is_accepted(body):
    validate_id_number(body + id_check_char(body))


@given(bodies, st.integers(0, 17), st.integers(1, 10))
def test_any_single_changed_character_is_rejected(body, position, shift):
    number = body + id_check_char(body)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = alphabet.index(number[position])
    changed = number[:position] + alphabet[(old + shift) % len(alphabet)] + number[position + 1 :]
    if changed == number:
        return
    with pytest.raises(ValidationError):
        validate_id_number(changed)


@given(st.text(max_size=30))
def test_random_text_only_ever_raises_validation_error(text):
    with contextlib.suppress(ValidationError):
        validate_id_number(normalise_id_number(text))


@pytest.mark.parametrize("raw", ["13800001234", "+86 138 0000 1234", "138-0000-1234", "１３８００００１２３４"])
def test_mobile_numbers_are_normalised_and_accepted(raw):
    validate_mobile(normalise_mobile(raw))
    assert normalise_mobile(raw) == "13800001234"


@pytest.mark.parametrize("raw", ["12800001234", "1380000123", "010-12345678", "abc"])
def test_non_mobile_numbers_are_rejected(raw):
    with pytest.raises(ValidationError):
        validate_mobile(normalise_mobile(raw))


def test_masks_keep_only_the_ends():
    assert mask_id_number("51190319900101123X") == "5119**********123X"
    assert mask_mobile("13800001234") == "138****1234"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("q=13812345678", "q=138****5678"),
        ("电话138-1234-5678。", "电话138****5678。"),
        ("身份证51190319900101123X号", "身份证5119**********123X号"),
        ("b14b94475ae0a5212382810835b0dfa", "b14b94475ae0a5212382810835b0dfa"),
        ("12382810835b0", "12382810835b0"),
    ],
)
def test_number_runs_are_masked_but_hashes_are_left_alone(text, expected):
    assert mask_numbers(text) == expected

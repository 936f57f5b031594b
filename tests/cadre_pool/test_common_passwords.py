"""Passwords that attackers try first in Chinese and English use are refused with a clear message."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.parametrize(
    "password",
    [
        "password123!",
        "Password123!",
        "qwe123!@#",
        "Aa123456",
        "Woaini1314!",
        "woaini1314",
        "Zhangwei@88",  # a common name in pinyin with digits
        "Hunan-Jia-88!",  # pinyin words with symbols and digits
        "1qaz2WSX!",
        "P@ssw0rd",
    ],
)
def test_common_passwords_are_refused(organiser, password):
    with pytest.raises(ValidationError) as info:
        validate_password(password, organiser)
    assert {"password_too_common", "password_pinyin"} & {e.code for e in info.value.error_list}


@pytest.mark.parametrize("password", ["Kestrel-Moor-2027", "Tk7-Vq9!mLx", "长风破浪会有时A1a"])
def test_uncommon_passwords_pass(organiser, password):
    validate_password(password, organiser)


def test_the_message_is_in_chinese_and_names_the_word(organiser):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        validate_password("Woaini1314!", organiser)
    messages = " ".join(info.value.messages)
    assert "常见" in messages
    assert "woaini" in messages
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        validate_password("Hunan-Jia-88!", organiser)
    assert "拼音" in " ".join(info.value.messages)
    assert "hunanjia" in " ".join(info.value.messages)

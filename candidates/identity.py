"""Resident ID numbers (GB 11643-1999) and mainland mobile numbers: normalising, checking, masking."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")

# Excel pastes often carry full-width digits and letters.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＸ", "0123456789XXX")


def normalise_id_number(raw: str) -> str:
    return re.sub(r"\s+", "", (raw or "").translate(_FULL_WIDTH)).upper()


def id_check_char(body: str) -> str:
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_gender_code(number: str) -> str:
    """GB/T 2261.1 code: the 17th digit is odd for men ("1"), even for women ("2")."""
    return "1" if int(number[16]) % 2 else "2"


def validate_id_number(value: str) -> None:
    """Check an already normalised 18-character number; raise a specific error."""
    if len(value) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(count)d."),
            code="id_length",
            params={"count": len(value)},
        )
    if not ID_PATTERN.match(value):
        raise ValidationError(_("A resident ID number is 17 digits followed by a digit or X."), code="id_characters")
    birth = id_birth_date(value)
    if birth is None or birth.year < 1800 or birth > datetime.date.today():
        raise ValidationError(_("The birth date in this ID number (digits 7–14) is not a real date."), code="id_birth")
    expected = id_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character of this ID number is wrong: please check each digit."),
            code="id_checksum",
        )


def normalise_mobile(raw: str) -> str:
    value = re.sub(r"[\s\-]", "", (raw or "").translate(_FULL_WIDTH))
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def whole_number(text: str) -> str:
    """`text` as a whole resident ID or mobile number, however typed (spaces, dashes, +86,
    full-width digits), or "" when it is neither."""
    value = normalise_mobile(text).upper()
    return value if ID_PATTERN.match(value) or MOBILE_PATTERN.match(value) else ""


def validate_mobile(value: str) -> None:
    if not MOBILE_PATTERN.match(value):
        raise ValidationError(
            _("Enter a mainland mobile number: 11 digits starting with 13–19."), code="mobile_invalid"
        )


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Whole years from `born` to `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

import string
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """GB/T 22239 asks for passwords mixing at least three kinds of character."""

    classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits)

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def _count(self, password: str) -> int:
        found = sum(any(ch in chars for ch in password) for chars in self.classes)
        return found + any(not ch.isalnum() for ch in password)

    def validate(self, password, user=None):
        if self._count(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "Your password must mix at least %(count)d of: lower-case letters, upper-case letters, digits, symbols."
        ) % {"count": self.min_classes}


DATA = Path(__file__).resolve().parent.parent / "data"


def _lines(path: Path) -> frozenset[str]:
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip() and not line.startswith("#"))


def _common_word_message() -> str:
    return _("This password is the common word “%(word)s” with digits or symbols added; attackers try those first.")


class ChineseCommonPasswordValidator:
    """Refuses passwords that attackers try first in Chinese and English use, beyond Django's list:
    a listed password (`data/common_passwords.txt`), a listed word with digits and symbols around it
    ("Password123!", "qwe123!@#"), or pinyin with digits and symbols ("Woaini1314!", "Zhangwei@88")."""

    def __init__(self):
        self.common = _lines(DATA / "common_passwords.txt")
        self.syllables = _lines(DATA / "pinyin_syllables.txt")

    def _is_pinyin(self, letters: str) -> bool:
        # ends[i]: letters[:i] splits into whole syllables.
        ends = [True] + [False] * len(letters)
        for i in range(1, len(letters) + 1):
            ends[i] = any(ends[j] and letters[j:i] in self.syllables for j in range(max(0, i - 6), i))
        return ends[-1]

    def validate(self, password, user=None):
        lowered = password.strip().lower()
        letters = "".join(ch for ch in lowered if ch.isascii() and ch.isalpha())
        only_letters_digits_symbols = all(ch.isascii() for ch in lowered)
        if lowered in self.common:
            raise ValidationError(
                _("This password is one of the common Chinese or English passwords that attackers try first."),
                code="password_too_common",
            )
        if only_letters_digits_symbols and letters in self.common:
            raise ValidationError(
                _common_word_message() % {"word": letters},
                code="password_too_common",
            )
        if only_letters_digits_symbols and letters and self._is_pinyin(letters):
            raise ValidationError(
                _("This password is the pinyin “%(word)s” with digits or symbols added; attackers try those first.")
                % {"word": letters},
                code="password_pinyin",
            )

    def get_help_text(self):
        return _("Your password cannot be a common password, nor pinyin or a common word with digits added.")

import string

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

"""Masking resident ID numbers and mobile phone numbers wherever they could be written down.

The pages show them masked, the audit trail stores them masked and log lines carry them masked:
neither the audit log nor a log file may become a copy of the ID register (S11). Text that
people typed (a search, a filter, a note) is masked by pattern, since it has no field name to go by.
"""

import logging
import re
from typing import Any

# A run of 11 or more digits, possibly split by spaces or dashes as people type phones
# (138-1234-5678), possibly ending in the ID number's check character X; full-width digits
# are digits to `\d` as well. A run inside a word of letters and digits (a file's SHA-256, a
# token) is not a number anyone typed, so a letter on either side leaves it alone.
_NUMBER_RUN = re.compile(r"(?<![\dA-Za-z])\d(?:[ \-]?\d){10,}[Xx]?(?![\dA-Za-z])")


def mask_id_number(value: str) -> str:
    """`5119**********123X`: the first four and last four characters."""
    if not value:
        return ""
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_mobile(value: str) -> str:
    """`138****1234`: the network prefix and the last four digits."""
    if not value:
        return ""
    return f"{value[:3]}****{value[-4:]}"


def _mask_run(match: re.Match) -> str:
    digits = re.sub(r"[ \-]", "", match.group())
    return mask_mobile(digits) if len(digits) == 11 else mask_id_number(digits)


def mask_numbers(text: str) -> str:
    """`text` with every run of 11 or more digits masked like a phone (11) or an ID number (longer)."""
    return _NUMBER_RUN.sub(_mask_run, text) if text else text


def mask_values(value: Any) -> Any:
    """A JSON-ready value with every string in it passed through `mask_numbers`."""
    if isinstance(value, str):
        return mask_numbers(value)
    if isinstance(value, dict):
        return {key: mask_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_values(item) for item in value]
    return value


class MaskNumbersFilter(logging.Filter):
    """A logging filter that masks ID and phone numbers in the formatted message (a request path
    with a search in it, a value quoted in an error)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True

"""Text hygiene at the boundary: control characters never enter a record, nor leave in an export.

A name pasted from another system can carry invisible control characters (`\\x01`, an escape);
stored, they break every workbook that includes the person (openpyxl refuses them), and they
can hide from the eye what a value really is.
"""

import re

# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def without_control_characters(text: str, *, multiline: bool = True) -> str:
    """`text` without control characters; a single-line value also gets its tabs and line breaks
    turned into one space each."""
    if text.isprintable():  # the common case, answered in C
        return text
    text = _CONTROL.sub("", text)
    return text if multiline else _LINE_BREAKS.sub(" ", text)

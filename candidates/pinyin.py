"""Pinyin initials of a name, for searching by "zxl" for 祝心灵.

A character may be read several ways (曾 zēng/céng, 单 shàn/dān); every reading's initial is kept,
so the stored key is the space-separated initials of each combination, the most common first.
"""

import itertools

from pypinyin import Style, pinyin

MAX_VARIANTS = 12  # enough for two or three ambiguous characters in one name


def name_initials(name: str) -> str:
    letters = pinyin(name or "", style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    readings = [[r.lower() for r in options if r.isascii() and r.isalpha()] for options in letters]
    readings = [options for options in readings if options]
    variants = ["".join(combo) for combo in itertools.islice(itertools.product(*readings), MAX_VARIANTS)]
    return " ".join(dict.fromkeys(variants))[:120]

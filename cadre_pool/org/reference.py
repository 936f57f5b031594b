"""Loading reference data: national code tables and division files."""

import csv
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from cadre_pool.models import (
    CODE_SYNONYM_TABLES,
    CodeSynonym,
    Degree,
    Education,
    Ethnicity,
    Gender,
    HealthStatus,
    OrgUnit,
    PoliticalStatus,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_DIVISIONS_FILE = DATA_DIR / "enyang_511903_divisions.csv"
CODE_SYNONYMS_FILE = DATA_DIR / "code_synonyms.csv"

CODE_TABLE_FILES = {
    Gender: "gbt2261_1_gender.csv",
    Ethnicity: "gbt3304_ethnicity.csv",
    PoliticalStatus: "gbt4762_political_status.csv",
    Education: "gbt4658_2006_education.csv",
    Degree: "gbt6864_2003_degree.csv",
    HealthStatus: "gbt2261_3_health.csv",
}

# Division files use the statistics bureau's words for levels.
LEVEL_ALIASES = {
    "province": OrgUnit.Level.PROVINCE,
    "city": OrgUnit.Level.CITY,
    "county": OrgUnit.Level.DISTRICT,
    "district": OrgUnit.Level.DISTRICT,
    "town": OrgUnit.Level.TOWNSHIP,
    "township": OrgUnit.Level.TOWNSHIP,
    "village": OrgUnit.Level.VILLAGE,
}
LEVEL_DEPTH = {"province": 0, "city": 1, "district": 2, "township": 3, "village": 4}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle)]


@transaction.atomic
def load_code_tables() -> dict[str, int]:
    """Create or update every code table from the files shipped with the project."""
    counts = {}
    for model, filename in CODE_TABLE_FILES.items():
        rows = _read_csv(DATA_DIR / filename)
        codes = {row["code"] for row in rows}
        # Parents first, so the foreign key always points at an existing row.
        for row in sorted(rows, key=lambda r: (bool(r.get("parent_code")), r["code"])):
            parent = row.get("parent_code") or None
            model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "short_name": row.get("short_name", ""),
                    "parent_id": parent if parent in codes else None,
                    "active": True,
                },
            )
        counts[model._meta.model_name] = len(rows)
    counts[CodeSynonym._meta.model_name] = load_code_synonyms(CODE_SYNONYMS_FILE)
    return counts


def load_code_synonyms(path: Path) -> int:
    """Create or update the shipped synonyms (table, code, synonym); synonyms added in the admin stay.

    A shipped synonym is reset to its shipped code on every load, as the national tables are.
    """
    rows = _read_csv(path)
    known = {table: set(model.objects.values_list("code", flat=True)) for table, model in CODE_SYNONYM_TABLES.items()}
    problems = [
        f"第 {number} 行：{row['table']} 没有代码“{row['code']}”"
        for number, row in enumerate(rows, start=2)
        if row["table"] not in CodeSynonym.Table.values
        or (row["table"] in known and row["code"] not in known[row["table"]])
    ]
    if problems:
        raise ValidationError(problems)
    for row in rows:
        CodeSynonym.objects.update_or_create(table=row["table"], synonym=row["synonym"], defaults={"code": row["code"]})
    return len(rows)


def load_divisions(path: Path | str) -> dict[str, int]:
    """Create or update organisation units from a division file (code,name,level,parent_code,short_name).

    The whole file is checked before anything is written; one bad row writes nothing.
    """
    rows = _read_csv(Path(path))
    problems = []
    parsed = []
    for number, row in enumerate(rows, start=2):
        code = row.get("code", "")
        level = LEVEL_ALIASES.get(row.get("level", "").lower())
        if not (len(code) == 12 and code.isdigit()):
            problems.append(f"第 {number} 行：区划代码“{code}”不是 12 位数字")
        if level is None:
            problems.append(f"第 {number} 行：层级“{row.get('level', '')}”无法识别")
        if not row.get("name"):
            problems.append(f"第 {number} 行：名称为空")
        parsed.append((code, level, row))
    if problems:
        raise ValidationError(problems)
    return _write_divisions(parsed)


@transaction.atomic
def _write_divisions(parsed: Iterable[tuple]) -> dict[str, int]:
    created = updated = 0
    by_code = {unit.code: unit for unit in OrgUnit.objects.all()}
    for code, level, row in sorted(parsed, key=lambda item: (LEVEL_DEPTH[item[1]], item[0])):
        parent = by_code.get(row.get("parent_code", ""))
        unit = by_code.get(code) or OrgUnit(code=code)
        created += unit.pk is None
        updated += unit.pk is not None
        unit.name = row["name"]
        unit.short_name = row.get("short_name", "")
        unit.level = level
        unit.parent = parent
        unit.path = unit.compute_path()
        unit.full_clean(validate_unique=False)
        unit.save()
        by_code[code] = unit
    return {"created": created, "updated": updated}

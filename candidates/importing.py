"""Excel import of candidates: safe reading, forgiving normalisation, all-or-nothing writes.

The same function previews (everything is written inside a transaction and rolled back, so
each row's outcome is exactly what a real import would do) and imports (committed only when
no row has an error). Rows go through the services: new people through `create_candidates` (the
checks of `create_candidate`, written a thousand rows at a time), existing files through
`update_candidate`.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cadre_pool import audit
from cadre_pool.audit import AuditAction
from cadre_pool.models import Education, Ethnicity, OrgUnit, PoliticalStatus
from candidates import workbook
from candidates.identity import id_birth_date, id_gender_code, validate_id_number
from candidates.models import Candidate, SkillTag, SourceCategory
from candidates.normalise import (
    HEADER_ALIASES,
    NormaliseError,
    find_header_row,
    id_number_text,
    match_code,
    parse_date,
    text,
)
from candidates.services import create_candidates, files_by_id_number, update_candidate
from candidates.workbook import FileRejected, Formula


@dataclass
class RowResult:
    row: int
    name: str = ""
    outcome: str = ""  # "new", "update" or "error"
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, reason)


@dataclass
class ImportReport:
    rows: list[RowResult]
    file_hash: str
    committed: bool = False

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        return [(r.row, column, reason) for r in self.rows for column, reason in r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.rows)


def read_rows(content: bytes) -> list[tuple]:
    """The first sheet's rows (candidates.workbook): at most IMPORT_MAX_ROWS rows of data."""
    return workbook.read_rows(content, max_rows=settings.IMPORT_MAX_ROWS + 20)  # title rows and the header


def _codes(model) -> list[tuple[str, str, str]]:
    return [(e.code, e.name, e.short_name) for e in model.objects.all()]


class _Lookups:
    """Code tables and the township's villages, read once per import."""

    def __init__(self, township: OrgUnit):
        self.gender = [("1", "男性", "男"), ("2", "女性", "女")]
        self.ethnicity = _codes(Ethnicity)
        self.political = _codes(PoliticalStatus)
        self.education = [(e.code, e.name, e.short_name) for e in Education.objects.filter(parent__isnull=False)]
        self.source = [(value, str(label), str(label)) for value, label in SourceCategory.choices]
        self.villages = {
            key: village
            for village in OrgUnit.objects.villages().filter(parent=township)
            for key in {village.name, village.short_name, village.code}
            if key
        }
        self.skills = {tag.name: tag for tag in SkillTag.objects.filter(active=True)}
        self.township = township
        # Column key, code table, what it is called in messages, model field; translated once, not per row.
        self.coded = [
            ("ethnicity", self.ethnicity, _("ethnicity"), "ethnicity_id"),
            ("political_status", self.political, _("political status"), "political_status_id"),
            ("education", self.education, _("education"), "education_id"),
            ("source_category", self.source, _("source category"), "source_category"),
            ("gender", self.gender, _("gender"), "gender_id"),
        ]
        self.required = [
            ("political_status_id", _("The political status is missing.")),
            ("education_id", _("The education is missing.")),
            ("source_category", _("The source category is missing.")),
        ]


def _header_names(mapping: dict[int, str], header: tuple) -> dict[str, str]:
    return {field_name: text(header[column]) for column, field_name in mapping.items()}


def _row_fields(values: dict, lookups: _Lookups, report: RowResult, headers: dict[str, str]):
    """Normalised model fields of one row, or errors on `report`."""
    fields, skills, other_skills = {}, [], []

    def error(name, message):
        report.errors.append((headers.get(name, name), message))

    for name, value in values.items():
        if isinstance(value, Formula):
            error(name, _("The cell holds a formula; paste the value instead."))
    if report.errors:
        return None, None

    number = ""
    try:
        number = id_number_text(values.get("id_number"))
        validate_id_number(number)
    except NormaliseError as exc:
        error("id_number", str(exc))
    except ValidationError as exc:
        error("id_number", " ".join(exc.messages) if number else _("The resident ID number is missing."))
    name = text(values.get("name"))
    if not name:
        error("name", _("The name is missing."))
    report.name = name
    fields["name"] = name
    fields["id_number"] = number

    township_text = text(values.get("township"))
    if township_text and township_text not in {lookups.township.name, lookups.township.short_name}:
        error("township", _("Only people of %(township)s can be imported here.") % {"township": lookups.township})

    for key, table, what, target in lookups.coded:
        try:
            code = match_code(values.get(key), table, what)
        except NormaliseError as exc:
            error(key, str(exc))
            continue
        if code:
            fields[target] = code
    fields.setdefault("ethnicity_id", "01")
    for required, message in lookups.required:
        if required not in fields and required.removesuffix("_id") not in {h for h, _m in report.errors}:
            error(required.removesuffix("_id"), message)

    for key in ("birth_date", "party_entry_date"):
        try:
            parsed = parse_date(values.get(key))
        except NormaliseError as exc:
            error(key, str(exc))
            continue
        if parsed:
            fields[key] = parsed
    if number and not any(h == headers.get("id_number", "id_number") for h, _m in report.errors):
        born = id_birth_date(number)
        given = fields.pop("birth_date", None)
        if (given and (given[0].year, given[0].month) != (born.year, born.month)) or (
            given and given[1] and given[0] != born
        ):
            error("birth_date", _("The birth date does not agree with the ID number."))
        fields["birth_date"] = born
        fields.setdefault("gender_id", id_gender_code(number))
    else:
        fields.pop("birth_date", None)
    if "party_entry_date" in fields:
        fields["party_entry_date"] = fields["party_entry_date"][0]

    village_text = text(values.get("village"))
    if village_text:
        village = lookups.villages.get(village_text) or lookups.villages.get(village_text.removesuffix("委员会"))
        if village is None:
            error(
                "village",
                _("“%(village)s” is not a village of %(township)s.")
                % {"village": village_text, "township": lookups.township},
            )
        fields["village"] = village
    fields["phone"] = text(values.get("phone"))
    fields["fulltime_school"] = text(values.get("school_major"))
    fields["employer"] = text(values.get("employer"))
    fields["notes"] = text(values.get("notes"))
    for part in text(values.get("skills")).replace("，", "、").replace(",", "、").split("、"):
        part = part.strip()
        if part:
            (skills.append(lookups.skills[part]) if part in lookups.skills else other_skills.append(part))
    fields["skills_other"] = "、".join(other_skills)
    if report.errors:
        return None, None
    return fields, skills


def run_import(*, actor, content: bytes, township: OrgUnit, commit: bool) -> ImportReport:
    """Preview (commit=False) or import (commit=True) a workbook into one township, all or nothing."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    if actor.is_organiser and township.pk != actor.unit_id:
        raise PermissionDenied
    digest = hashlib.sha256(content).hexdigest()
    rows = read_rows(content)
    located = find_header_row(rows)
    if located is None:
        raise FileRejected(
            _("No header row was found: the sheet needs at least the columns 姓名 and 公民身份号码."), code="no_header"
        )
    header_index, mapping = located
    missing = [HEADER_ALIASES[name][0] for name in ("name", "id_number") if name not in mapping.values()]
    if missing:
        raise FileRejected(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)}, code="columns")
    headers = _header_names(mapping, rows[header_index])
    lookups = _Lookups(township)
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    checked: list[tuple[RowResult, dict, list]] = []
    with transaction.atomic():
        for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
            values = {field_name: row[column] if column < len(row) else None for column, field_name in mapping.items()}
            if all(value in (None, "") or (isinstance(value, str) and not value.strip()) for value in values.values()):
                continue
            result = RowResult(row=offset)
            results.append(result)
            fields, skills = _row_fields(values, lookups, result, headers)
            if fields is None:
                result.outcome = "error"
                continue
            number = fields["id_number"]
            if number in seen:
                result.errors.append(
                    (headers["id_number"], _("The same ID number is already on row %(row)d.") % {"row": seen[number]})
                )
                result.outcome = "error"
                continue
            seen[number] = offset
            checked.append((result, fields, skills))
        _write_rows(actor, township, checked, headers)
        report = ImportReport(rows=results, file_hash=digest)
        if not (commit and report.ok):
            transaction.set_rollback(True)
        else:
            report.committed = True
    # Outside the rolled-back block: a refused or previewed import is recorded too (S9).
    audit.record(
        action=AuditAction.IMPORT,
        actor=actor,
        obj=township,
        success=report.committed or not commit,
        file_hash=digest,
        dry_run=not commit,
        rows=len(results),
        new=report.count("new"),
        updated=report.count("update"),
        errors=report.count("error"),
        committed=report.committed,
    )
    return report


def _write_rows(actor, township, rows: list[tuple[RowResult, dict, list]], headers: dict[str, str]) -> None:
    """Files of the township already on record are updated one by one (rare); new people are filed together."""
    on_file = files_by_id_number([fields["id_number"] for _result, fields, _skills in rows])
    ours = set(
        Candidate.objects.visible_to(actor)
        .filter(pk__in=[candidate.pk for candidate in on_file.values()], township=township)
        .values_list("pk", flat=True)
        if on_file
        else ()
    )
    new = []
    for result, fields, skills in rows:
        existing = on_file.get(fields["id_number"])
        if existing is None:
            new.append((result, fields, skills))
        elif existing.pk not in ours:
            _refused(
                result, ValidationError({"id_number": _("This person is already filed by another township.")}), headers
            )
        else:
            _update_row(actor, existing, fields, skills, result, headers)
    if not new:
        return
    try:
        outcomes = create_candidates(
            actor=actor, township=township, rows=[(fields, skills) for _r, fields, skills in new]
        )
    except PermissionDenied:
        outcomes = [PermissionDenied()] * len(new)
    for (result, _fields, _skills), outcome in zip(new, outcomes, strict=True):
        if isinstance(outcome, Candidate):
            result.outcome = "new"
        else:
            _refused(result, outcome, headers)


def _update_row(actor, existing: Candidate, fields, skills, result: RowResult, headers: dict[str, str]) -> None:
    try:
        with transaction.atomic():
            update_candidate(
                actor=actor,
                candidate_id=existing.pk,
                expected_version=existing.version,
                fields={k: v for k, v in fields.items() if v not in ("", None)},
                skills=skills or None,
            )
        result.outcome = "update"
    except (ValidationError, PermissionDenied) as exc:
        _refused(result, exc, headers)


def _refused(result: RowResult, exc: ValidationError | PermissionDenied, headers: dict[str, str]) -> None:
    result.outcome = "error"
    if isinstance(exc, PermissionDenied):
        result.errors.append(("", _("You may not import into this township.")))
        return
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
    for name, messages in pairs:
        column = "" if name == "__all__" else headers.get(name.removesuffix("_id"), name)
        result.errors.extend((column, message) for message in messages)

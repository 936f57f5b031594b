"""Excel import of candidates: safe reading, forgiving normalisation, all-or-nothing writes.

The same function previews (everything is written inside a transaction and rolled back, so
each row's outcome is exactly what a real import would do) and imports (committed only when
no row has an error). Rows go through the services: new people through `create_candidates` (the
checks of `create_candidate`, written a thousand rows at a time), existing files through
`update_candidate`.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from cadre_pool import audit
from cadre_pool.audit import AuditAction
from cadre_pool.models import (
    CodeSynonym,
    Degree,
    Education,
    Ethnicity,
    Gender,
    HealthStatus,
    OrgUnit,
    PoliticalStatus,
)
from cadre_pool.org.choices import code_table
from candidates import workbook
from candidates.completeness import CHECKS, missing_information
from candidates.identity import MOBILE_PATTERN, id_birth_date, id_gender_code, validate_id_number
from candidates.models import Candidate, ImportBatch, SkillTag, SourceCategory
from candidates.normalise import (
    HEADER_ALIASES,
    AmbiguousDate,
    CodeTable,
    Header,
    NormaliseError,
    find_header,
    header_key,
    id_number_text,
    is_blank,
    match_code,
    parse_date,
    phone_text,
    skip_reason,
    text,
)
from candidates.services import create_candidates, files_by_id_number, update_candidate
from candidates.workbook import FileRejected, Formula


@dataclass
class RowResult:
    row: int
    name: str = ""
    outcome: str = ""  # "new", "update", "error" or "skipped"
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column heading as written, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # imported, but the file is incomplete
    reason: str = ""  # why a skipped row is not a person
    incomplete: bool = False  # imported, but the file lacks what candidates.completeness asks for


@dataclass
class ImportReport:
    rows: list[RowResult]
    file_hash: str
    committed: bool = False
    header_rows: list[int] = field(default_factory=list)  # 1-based rows of the sheet's header
    notes: list[str] = field(default_factory=list)  # about the whole file, said once

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        return [(r.row, column, message) for r in self.rows for column, message in r.errors]

    @property
    def warnings(self) -> list[tuple[int, str, str]]:
        return [(r.row, column, message) for r in self.rows for column, message in r.warnings]

    @property
    def skipped(self) -> list[tuple[int, str]]:
        return [(r.row, r.reason) for r in self.rows if r.outcome == "skipped"]

    @property
    def ok(self) -> bool:
        return any(r.outcome in ("new", "update") for r in self.rows) and not self.errors

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.rows)

    def as_summary(self) -> dict:
        """What the batch keeps of the report, for its preview and error pages."""
        return {
            "file_hash": self.file_hash,
            "committed": self.committed,
            "header_rows": self.header_rows,
            "notes": self.notes,
            "rows": [
                {
                    "row": r.row,
                    "name": r.name,
                    "outcome": r.outcome,
                    "errors": r.errors,
                    "warnings": r.warnings,
                    "reason": r.reason,
                    "incomplete": r.incomplete,
                }
                for r in self.rows
            ],
        }


class AlreadyConfirmed(Exception):
    """The batch was confirmed before (a second click, a second tab): nothing is imported again."""

    def __init__(self, batch):
        super().__init__(_("This workbook was already imported; nothing was imported again."))
        self.batch = batch


def preview_import(*, actor, township: OrgUnit, content: bytes, original_name: str) -> tuple[ImportBatch, ImportReport]:
    """Check a workbook as a real import would and keep it, with its report, as a batch to confirm."""
    report = run_import(actor=actor, content=content, township=township, commit=False)
    batch = ImportBatch(
        owner=actor,
        township=township,
        original_name=original_name[:200],
        file_hash=report.file_hash,
        summary=report.as_summary(),
    )
    batch.file.save(f"{report.file_hash}.xlsx", ContentFile(content), save=False)
    batch.save()
    return batch, report


def confirm_import(*, actor, batch_id: int) -> tuple[ImportBatch, ImportReport]:
    """Import a previewed batch, once: the batch is locked for the import, and a batch already
    imported (a double click, two tabs, two requests at the same moment) raises AlreadyConfirmed."""
    with transaction.atomic():
        batch = ImportBatch.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=batch_id)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise AlreadyConfirmed(batch)
        with batch.file.open("rb") as handle:
            content = handle.read()
        report = run_import(actor=actor, content=content, township=batch.township, commit=True)
        batch.summary = report.as_summary()
        if report.committed:
            batch.status = ImportBatch.Status.IMPORTED
        batch.save(update_fields=["summary", "status"])
    return batch, report


def read_rows(content: bytes) -> list[tuple]:
    """The first sheet's rows (candidates.workbook): at most IMPORT_MAX_ROWS rows of data."""
    return workbook.read_rows(content, max_rows=settings.IMPORT_MAX_ROWS + 20)  # title rows and the header


def _codes(model, keep=lambda entry: True) -> list[tuple[str, str, str]]:
    """(code, name, short name) of a code table, from the process's code-table cache."""
    return [(e.code, e.name, e.short_name) for e in code_table(model) if keep(e)]


def _education_level(entry) -> bool:
    # Education levels as the form offers them: the leaves of GB/T 4658 and 90 其他. A lower code
    # is a higher level, so the highest of two is the smaller code.
    return entry.parent is not None or entry.code == "90"


# Columns of text copied as written, by field; the model's max_length bounds each.
TEXT_FIELDS = {
    "native_place": "native_place",
    "current_city": "current_city",
    "employer": "employer",
    "occupation": "occupation",
    "school_major": "fulltime_school",
    "inservice_school": "inservice_school",
    "rewards_punishments": "rewards_punishments",
    "notes": "notes",
}
# The import's column of each model field, where they differ.
COLUMN_OF_FIELD = {
    "fulltime_school": "school_major",
    "gender_id": "gender",
    "ethnicity_id": "ethnicity",
    "political_status_id": "political_status",
    "education_id": "education",
    "degree_id": "degree",
    "health_id": "health",
}
# GB/T 3304 code 01, what an empty ethnicity is taken for (nearly everyone in the district).
DEFAULT_ETHNICITY = "汉族"
# Checks of candidates.completeness that concern only some people: said on each of their rows even
# when the roster has no column for them.
PER_ROW_CHECKS = frozenset({"party_entry_date"})
REQUIRED_COLUMNS = ("name", "id_number", "political_status", "source_category")


class _Lookups:
    """Code tables, their synonyms and the township's villages, read once per import."""

    def __init__(self, township: OrgUnit):
        synonyms: dict[str, list[tuple[str, str]]] = {}
        for table, code, synonym in CodeSynonym.objects.values_list("table", "code", "synonym"):
            synonyms.setdefault(table, []).append((code, synonym))
        source = [(value, str(label), "") for value, label in SourceCategory.choices]
        tables = {
            "gender": _codes(Gender, lambda entry: entry.code in ("1", "2")),
            "ethnicity": _codes(Ethnicity),
            "political_status": _codes(PoliticalStatus),
            "education": _codes(Education, _education_level),
            "degree": _codes(Degree),
            "health": _codes(HealthStatus),
            "source_category": source,
        }
        self.tables = {name: CodeTable.build(entries, synonyms.get(name, [])) for name, entries in tables.items()}
        self.villages = {
            header_key(key): village
            for village in OrgUnit.objects.villages().filter(parent=township)
            for key in {village.name, village.short_name, village.code}
            if key
        }
        self.skills = {tag.name: tag for tag in SkillTag.objects.filter(active=True)}
        self.township = township
        self._elsewhere = None

    def village_elsewhere(self, name: str) -> OrgUnit | None:
        """A village of another township under this name, looked up only when a row names one."""
        if self._elsewhere is None:
            self._elsewhere = {}
            for village in OrgUnit.objects.villages().exclude(parent=self.township).select_related("parent"):
                for key in {village.name, village.short_name}:
                    if key:
                        self._elsewhere.setdefault(header_key(key), village)
        return self._elsewhere.get(header_key(name))


def shown(value, *, masked: bool = False) -> str:
    """A cell's value as the message quotes it; ID and phone numbers masked as the pages mask them."""
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    shown_text = value.isoformat() if isinstance(value, datetime.date) else text(value)
    if masked and len(shown_text) > 7:
        return f"{shown_text[:3]}{'*' * (len(shown_text) - 7)}{shown_text[-4:]}"
    return shown_text


def _label(name: str) -> str:
    """What a field is called when the roster has no column for it: the form's label, never its name."""
    model_field = TEXT_FIELDS.get(name, name)
    try:
        return str(Candidate._meta.get_field(model_field.removesuffix("_id")).verbose_name)
    except FieldDoesNotExist:
        return str(HEADER_ALIASES.get(name, [name])[0])


class _Row:
    """One row's values by field, and the messages about it, each naming the column as written."""

    def __init__(self, values: dict, header: Header, result: RowResult):
        self.values, self.header, self.result = values, header, result

    def column(self, name: str) -> str:
        return self.header.column(name) or _label(name)

    def error(self, name: str, reason: str, *, masked: bool = False) -> None:
        self._add(self.result.errors, name, reason, masked)

    def warn(self, name: str, reason: str) -> None:
        self._add(self.result.warnings, name, reason, False)

    def empty(self, name: str) -> None:
        _append(self.result.errors, self.column(name), _("%(column)s is empty.") % {"column": self.column(name)})

    def _add(self, messages, name, reason, masked):
        reason = str(reason).rstrip("。.")
        value = self.values.get(name)
        column = self.column(name)
        if is_blank(value):
            message = _("%(column)s: %(reason)s") % {"column": column, "reason": reason}
        else:
            message = _("%(column)s “%(value)s”: %(reason)s") % {
                "column": column,
                "value": shown(value, masked=masked),
                "reason": reason,
            }
        _append(messages, column, message)


def _append(messages: list[tuple[str, str]], column: str, message: str) -> None:
    if (column, message) not in messages:  # one problem, one message
        messages.append((column, message))


def _row_fields(values: dict, lookups: _Lookups, result: RowResult, header: Header):
    """Normalised model fields of one row, or None with errors on `result`."""
    row = _Row(values, header, result)
    fields, skills, other_skills = {}, [], []
    result.name = text(values.get("name")) if not isinstance(values.get("name"), Formula) else ""

    # A formula numbering the rows (=ROW()-3) is harmless: the serial number is not imported.
    formulas = [name for name, value in values.items() if isinstance(value, Formula) and name != "seq"]
    for name in formulas:
        row.error(name, _("the cell holds a formula; paste the value instead"))
    if formulas:
        return None, None

    number = ""
    try:
        number = id_number_text(values.get("id_number"))
        if not number:
            row.empty("id_number")
        else:
            validate_id_number(number)
    except NormaliseError as exc:
        row.error("id_number", str(exc), masked=True)
        number = ""
    except ValidationError as exc:
        row.error("id_number", " ".join(exc.messages), masked=True)
        number = ""
    name = text(values.get("name"))
    result.name = name
    if not name:
        row.empty("name")
    fields["name"] = name
    fields["id_number"] = number

    township_text = header_key(text(values.get("township")))
    township = lookups.township
    if (
        township_text
        and not any(
            township_text.endswith(header_key(spelling))
            for spelling in {township.name, township.short_name}
            if spelling
        )
        and township_text != township.code
    ):
        row.error("township", _("only people of %(township)s can be imported here") % {"township": township})

    _code_fields(row, lookups, fields)
    _dates(row, fields, number)
    _village(row, lookups, fields)

    phone = phone_text(values.get("phone"))
    if phone and not MOBILE_PATTERN.match(phone):
        row.error("phone", _("not a mainland mobile number (11 digits starting with 13–19)"), masked=True)
    fields["phone"] = phone
    for column_name, model_field in TEXT_FIELDS.items():
        value = "" if is_blank(values.get(column_name)) else text(values.get(column_name))
        limit = Candidate._meta.get_field(model_field).max_length
        if limit and len(value) > limit:
            row.error(
                column_name,
                _("%(length)d characters; at most %(limit)d fit") % {"length": len(value), "limit": limit},
            )
        fields[model_field] = value
    for part in re.split(r"[、，,;；/]", "" if is_blank(values.get("skills")) else text(values.get("skills"))):
        part = part.strip()
        if part:
            (skills.append(lookups.skills[part]) if part in lookups.skills else other_skills.append(part))
    fields["skills_other"] = "、".join(other_skills)
    limit = Candidate._meta.get_field("skills_other").max_length
    if len(fields["skills_other"]) > limit:
        row.error(
            "skills",
            _("%(length)d characters; at most %(limit)d fit") % {"length": len(fields["skills_other"]), "limit": limit},
        )
    if result.errors:
        return None, None
    return fields, skills


def _code_fields(row: _Row, lookups: _Lookups, fields: dict) -> None:
    codes = {}
    for key, table in lookups.tables.items():
        try:
            codes[key] = match_code(row.values.get(key), table)
        except NormaliseError as exc:
            codes[key] = None
            row.error(key, str(exc))
    for key in ("fulltime_education", "inservice_education"):
        try:
            codes[key] = match_code(row.values.get(key), lookups.tables["education"])
        except NormaliseError as exc:
            codes[key] = None
            row.error(key, str(exc))
    for key in ("gender", "political_status", "degree", "health", "fulltime_education", "inservice_education"):
        if codes[key]:
            fields[f"{key}_id"] = codes[key]
    if codes["source_category"]:
        fields["source_category"] = codes["source_category"]
    elif codes["source_category"] == "":
        row.empty("source_category")
    if codes["political_status"] == "":
        row.empty("political_status")
    # The highest education: the column that says so, else the higher of full-time and in-service.
    levels = [codes[k] for k in ("fulltime_education", "inservice_education") if codes[k]]
    if codes["education"]:
        fields["education_id"] = codes["education"]
    elif levels:
        fields["education_id"] = min(levels)
    elif codes["education"] == "" and None not in (codes["fulltime_education"], codes["inservice_education"]):
        row.empty("education")
    if codes["ethnicity"]:
        fields["ethnicity_id"] = codes["ethnicity"]
    elif codes["ethnicity"] == "":
        fields["ethnicity_id"] = "01"
        if row.header.column("ethnicity"):
            row.warn("ethnicity", _("empty; imported as %(default)s, please check") % {"default": DEFAULT_ETHNICITY})


def _dates(row: _Row, fields: dict, number: str) -> None:
    born = id_birth_date(number) if number else None
    try:
        given = parse_date(row.values.get("birth_date"))
    except AmbiguousDate as exc:
        # 1990.1 is January or October: the ID number says which.
        given = (born, False) if born and any(born.replace(day=1) == d for d in exc.options) else None
        if given is None:
            row.error("birth_date", str(exc))
    except NormaliseError as exc:
        given = None
        row.error("birth_date", str(exc))
    if born and given:
        day, has_day = given
        if (day.year, day.month) != (born.year, born.month) or (has_day and day != born):
            row.error(
                "birth_date",
                _("does not agree with the birth date in the ID number (%(born)s)") % {"born": born.isoformat()},
            )
    if born:
        fields["birth_date"] = born
        fields.setdefault("gender_id", id_gender_code(number))
    try:
        entry = parse_date(row.values.get("party_entry_date"))
    except NormaliseError as exc:
        row.error("party_entry_date", str(exc))
    else:
        if entry:
            fields["party_entry_date"] = entry[0]


def _village(row: _Row, lookups: _Lookups, fields: dict) -> None:
    village_text = "" if is_blank(row.values.get("village")) else text(row.values.get("village"))
    if not village_text:
        return
    key = header_key(village_text)
    for prefix in (lookups.township.name, lookups.township.short_name):
        if prefix and key.startswith(header_key(prefix)) and key != header_key(prefix):
            key = key.removeprefix(header_key(prefix))
    # 骑龙山村委会, 骑龙山村民委员会 and 骑龙山 are all 骑龙山村.
    spellings = [key, key.removesuffix("委员会"), key.removesuffix("委会"), key.removesuffix("民委员会"), key + "村"]
    village = next((lookups.villages[k] for k in spellings if k in lookups.villages), None)
    if village is not None:
        fields["village"] = village
        return
    other = lookups.village_elsewhere(village_text)
    if other is not None:
        row.error(
            "village",
            _("a village of %(other)s, not of %(township)s") % {"other": other.parent, "township": lookups.township},
        )
    else:
        row.error("village", _("not a village of %(township)s") % {"township": lookups.township})


def _missing_columns(header: Header) -> list[str]:
    present = set(header.fields.values())
    missing = [HEADER_ALIASES[name][0] for name in REQUIRED_COLUMNS if name not in present]
    if not present & {"education", "fulltime_education", "inservice_education"}:
        missing.append(HEADER_ALIASES["education"][0])
    return missing


def _notes(header: Header, rows: list[RowResult]) -> list[str]:
    notes = []
    absent = [
        str(check.label)
        for check in CHECKS
        if check.field not in PER_ROW_CHECKS and not header.column(COLUMN_OF_FIELD.get(check.field, check.field))
    ]
    if absent and any(r.incomplete for r in rows):
        notes.append(
            _("The roster has no %(columns)s column: the files are imported and marked incomplete.")
            % {"columns": "、".join(absent)}
        )
    if header.unknown:
        notes.append(
            _("These columns are not read by the import: %(columns)s.") % {"columns": "、".join(header.unknown)}
        )
    if "ethnicity" not in header.fields.values():
        notes.append(
            _("The roster has no %(column)s column: everyone is imported as %(default)s.")
            % {"column": _("ethnicity"), "default": DEFAULT_ETHNICITY}
        )
    return notes


def run_import(*, actor, content: bytes, township: OrgUnit, commit: bool) -> ImportReport:
    """Preview (commit=False) or import (commit=True) a workbook into one township, all or nothing."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    if actor.is_organiser and township.pk != actor.unit_id:
        raise PermissionDenied
    digest = hashlib.sha256(content).hexdigest()
    rows = read_rows(content)
    header = find_header(rows)
    if header is None:
        raise FileRejected(
            _("No header row was found: the sheet needs at least the columns 姓名 and 公民身份号码."), code="no_header"
        )
    missing = _missing_columns(header)
    if missing:
        raise FileRejected(
            _("The roster has no column for %(columns)s: add it and upload the workbook again.")
            % {"columns": "、".join(missing)},
            code="columns",
        )
    lookups = _Lookups(township)
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    checked: list[tuple[_Row, dict, list]] = []
    body = rows[header.first_data_row :]
    last = max((i for i, row in enumerate(body) if skip_reason(row, header) != _("blank row")), default=-1)
    with transaction.atomic():
        for offset, row in enumerate(body[: last + 1], start=header.first_data_row + 1):
            result = RowResult(row=offset)
            results.append(result)
            reason = skip_reason(row, header)
            if reason:
                result.outcome, result.reason = "skipped", reason
                continue
            values = {name: row[column] if column < len(row) else None for column, name in header.fields.items()}
            fields, skills = _row_fields(values, lookups, result, header)
            if fields is None:
                result.outcome = "error"
                continue
            number = fields["id_number"]
            if number in seen:
                _Row(values, header, result).error(
                    "id_number", _("the same ID number is already on row %(row)d") % {"row": seen[number]}, masked=True
                )
                result.outcome = "error"
                continue
            seen[number] = offset
            checked.append((_Row(values, header, result), fields, skills))
        _write_rows(actor, township, checked, header)
        report = ImportReport(
            rows=results, file_hash=digest, header_rows=[i + 1 for i in header.rows], notes=_notes(header, results)
        )
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
        skipped=report.count("skipped"),
        committed=report.committed,
    )
    return report


def _write_rows(actor, township, rows: list[tuple["_Row", dict, list]], header: Header) -> None:
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
    for row, fields, skills in rows:
        existing = on_file.get(fields["id_number"])
        if existing is None:
            new.append((row, fields, skills))
        elif existing.pk not in ours:
            _refused(row, ValidationError({"id_number": _("This person is already filed by another township.")}))
        else:
            _update_row(actor, existing, fields, skills, row)
    if not new:
        return
    try:
        outcomes = create_candidates(
            actor=actor, township=township, rows=[(fields, skills) for _r, fields, skills in new]
        )
    except PermissionDenied:
        outcomes = [PermissionDenied()] * len(new)
    for (row, _fields, _skills), outcome in zip(new, outcomes, strict=True):
        if isinstance(outcome, Candidate):
            row.result.outcome = "new"
            _warn_incomplete(row, outcome)
        else:
            _refused(row, outcome)


def _update_row(actor, existing: Candidate, fields, skills, row: "_Row") -> None:
    try:
        with transaction.atomic():
            candidate = update_candidate(
                actor=actor,
                candidate_id=existing.pk,
                expected_version=existing.version,
                fields={k: v for k, v in fields.items() if v not in ("", None)},
                skills=skills or None,
            )
        row.result.outcome = "update"
        _warn_incomplete(row, candidate)
    except (ValidationError, PermissionDenied) as exc:
        _refused(row, exc)


def _warn_incomplete(row: "_Row", candidate: Candidate) -> None:
    """A warning for each piece of information the file still lacks (candidates.completeness).

    A column the whole roster lacks is said once, in the file's notes; the party entry date is said
    per row even then, since only party members need it.
    """
    missing = missing_information(candidate)
    row.result.incomplete = bool(missing)
    for check in missing:
        column = row.header.column(COLUMN_OF_FIELD.get(check.field, check.field))
        if column:
            message = _("%(column)s is empty; the file is imported and marked incomplete.") % {"column": column}
        elif check.field in PER_ROW_CHECKS:
            column = str(check.label)
            message = _("The roster has no %(column)s column; the file is imported and marked incomplete.") % {
                "column": column
            }
        else:
            continue
        _append(row.result.warnings, column, message)


def _refused(row: "_Row", exc: ValidationError | PermissionDenied) -> None:
    """The services' reasons, each put after the column heading and the value it is about."""
    row.result.outcome = "error"
    if isinstance(exc, PermissionDenied):
        _append(row.result.errors, "", _("You may not import into this township."))
        return
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
    for name, messages in pairs:
        if name == "__all__":
            for message in messages:
                _append(row.result.errors, "", message)
            continue
        key = COLUMN_OF_FIELD.get(name, name)
        # Birth date and gender come from the ID number when the roster does not give them.
        if not row.header.column(key) and key in ("birth_date", "gender"):
            key = "id_number"
        for message in messages:
            row.error(key, message, masked=key in ("id_number", "phone"))

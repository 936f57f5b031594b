"""The import's bulk path (issue 8): many rows in a few statements, the same rows and checks as one by one."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from cadre_pool.models import AuditAction, AuditEvent
from candidates.importing import run_import, shown
from candidates.models import Candidate, PoolEvent, SkillTag
from candidates.pinyin import name_initials
from candidates.services import BATCH_SIZE, create_candidate, create_candidates
from tests.candidates.test_import import HEADER, valid_id, workbook
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory

SKILLS = "产业经验或专业技能"
# Queries of a preview of 20 or 1,000 new people on PostgreSQL (savepoints left out, as in
# test_query_budget.py): the code tables' synonyms, villages and skills (the six code tables come from
# the process's code-table cache, cadre_pool.org.choices: six more when it is cold), the import's and the
# service's ID lookups, one query per foreign key of Candidate, key allocation and COPY for files, pool
# events and audit rows, and the import's own audit row. Not in query_budgets.json, which lists pages.
IMPORT_QUERY_BUDGET = 22


def row(n: int, **overrides) -> dict:
    """A good row for person n (n < 10,000): a distinct ID number, birth date and phone each."""
    birth = datetime.date(1980, 1, 1) + datetime.timedelta(days=n // 400)
    data = {
        "姓名": f"批量{n}号",
        "公民身份号码": valid_id(f"{birth:%Y%m%d}", n % 400 * 2 + 1),
        "性别": "男",
        "出生年月": f"{birth:%Y.%m}",
        "政治面貌": "群众",
        "入党时间": None,
        "学历": "大学本科",
        "人员类别": "退役军人",
        "村(社区)": "骑龙山村",
        "联系电话": f"1390000{n:04d}",
        SKILLS: "",
    }
    data.update(overrides)
    return data


def rows(count: int, **overrides_by_index) -> list[dict]:
    return [overrides_by_index.get(f"r{n}", row(n)) for n in range(count)]


def _import(actor, rows_, township, *, commit=True):
    return run_import(actor=actor, content=workbook(rows_, header=[*HEADER, SKILLS]), township=township, commit=commit)


def _written() -> tuple[int, int, int]:
    return (
        Candidate.objects.count(),
        PoolEvent.objects.count(),
        AuditEvent.objects.filter(action=AuditAction.CREATE).count(),
    )


def test_a_file_of_several_chunks_files_everyone_with_events_skills_and_audit_rows(organiser, reference):
    count = 2 * BATCH_SIZE + 500
    data = rows(count)
    tags = list(SkillTag.objects.filter(active=True).order_by("pk")[:2])
    for n in range(0, count, 7):
        data[n][SKILLS] = f"{tags[0].name}、{tags[1].name}"
    data[3][SKILLS] = "养蜂"  # not in the vocabulary: kept as other skills

    report = _import(organiser, data, reference[MINGYANG])

    assert report.committed and report.errors == [] and report.count("new") == count
    files = Candidate.objects.filter(township=reference[MINGYANG])
    assert files.count() == count
    assert set(files.values_list("status", "version", "created_by", "village")) == {
        ("prospect", 1, organiser.pk, reference[QILONGSHAN].pk)
    }
    first = files.get(name="批量0号")
    assert first.name_initials == name_initials("批量0号") != ""
    assert (first.has_industry_skill, sorted(first.skills.all(), key=lambda t: t.pk)) == (True, tags)
    third = files.get(name="批量3号")
    assert (third.has_industry_skill, third.skills_other, third.skills.count()) == (True, "养蜂", 0)
    assert not files.get(name="批量1号").has_industry_skill
    assert Candidate.skills.through.objects.filter(candidate__in=files).count() == 2 * len(range(0, count, 7))
    events = PoolEvent.objects.filter(candidate__in=files)
    assert events.count() == count
    assert set(events.values_list("from_status", "to_status", "reason", "actor", "actor_role")) == {
        ("", "prospect", _("Information file created"), organiser.pk, organiser.role)
    }
    created = AuditEvent.objects.filter(action=AuditAction.CREATE)
    assert sorted(created.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in files.values_list("pk", flat=True)
    )
    assert (
        created.filter(actor_id=organiser.pk, object_type="candidates.candidate", personal_info=True).count() == count
    )
    audit_row = created.get(object_id=str(first.pk))
    assert audit_row.after["id_number"] == first.masked_id_number and audit_row.after["status"] == "prospect"
    (imported,) = AuditEvent.objects.filter(action=AuditAction.IMPORT)
    assert (imported.extra["new"], imported.extra["committed"]) == (count, True)


def test_the_bulk_rows_are_the_rows_create_candidate_writes(organiser, reference):
    tag = SkillTag.objects.filter(active=True).first()

    def fields(n):
        birth = datetime.date(1990, 5, 1)
        return {
            "name": "同款",
            "id_number": valid_id("19900501", n),
            "gender_id": "1",
            "ethnicity_id": "01",
            "birth_date": birth,
            "phone": "13900001111",
            "political_status_id": "01",
            "party_entry_date": datetime.date(2015, 7, 1),
            "education_id": "21",
            "source_category": "veteran",
            "village": reference[QILONGSHAN],
            "notes": "备注",
        }

    one = create_candidate(actor=organiser, township=reference[MINGYANG], fields=fields(101), skills=[tag])
    (many,) = create_candidates(actor=organiser, township=reference[MINGYANG], rows=[(fields(103), [tag])])
    one.refresh_from_db()
    many.refresh_from_db()
    different = {"id", "id_number", "created_at", "updated_at"}
    assert {k: v for k, v in vars(one).items() if k not in different and not k.startswith("_")} == {
        k: v for k, v in vars(many).items() if k not in different and not k.startswith("_")
    }
    assert (one.phone, list(one.skills.all())) == (many.phone, list(many.skills.all())) == ("13900001111", [tag])

    def event(candidate):
        return PoolEvent.objects.filter(candidate=candidate).values("from_status", "to_status", "reason", "actor")

    assert list(event(one)) == list(event(many))
    rows_ = {
        row.object_id: row
        for row in AuditEvent.objects.filter(action=AuditAction.CREATE, object_id__in=[one.pk, many.pk])
    }
    a, b = rows_[str(one.pk)], rows_[str(many.pk)]
    same = ("actor_id", "actor_name", "actor_role", "ip", "object_type", "object_label", "success", "personal_info")
    assert [getattr(a, name) for name in same] == [getattr(b, name) for name in same]
    assert a.after.keys() == b.after.keys()
    assert {k: v for k, v in a.after.items() if k not in different} == {
        k: v for k, v in b.after.items() if k not in different
    }
    assert (a.extra, b.extra) == ({"service": "create_candidate"}, {"service": "create_candidates"})


@pytest.mark.reliability
def test_a_bad_row_in_the_third_chunk_writes_nothing(organiser, reference, reliability):
    count = 2 * BATCH_SIZE + 500
    bad = 2 * BATCH_SIZE + 300
    data = rows(count)
    data[bad]["联系电话"] = "12345"  # refused by Candidate.clean(), inside the service
    before = _written()
    report = _import(organiser, data, reference[MINGYANG])
    leaked = sum(_written()) - sum(before)
    reliability(
        "import: a bad row in the third chunk of a large file",
        tried=1,
        refused=int(not report.committed),
        leaked=leaked,
    )
    assert not report.committed and leaked == 0
    assert [(r, column) for r, column, _reason in report.errors] == [(bad + 4, "联系电话")]
    assert report.count("new") == count - 1


def test_duplicates_in_the_file_and_in_another_township_are_refused_across_chunks(organiser, reference):
    elsewhere = CandidateFactory(township=reference[GUANGONG], village=reference[XINAN])
    ours = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="本镇老档案")
    count = BATCH_SIZE + 500
    data = rows(count)
    data[1200] = {**row(5), "姓名": "重复"}
    data[1300] = {**row(1300), "公民身份号码": elsewhere.id_number, "出生年月": None, "性别": None}
    data[1400] = {**row(1400), "公民身份号码": ours.id_number, "姓名": "本镇老档案", "出生年月": None, "性别": None}
    before = _written()

    report = _import(organiser, data, reference[MINGYANG])

    assert not report.committed and _written() == before
    assert report.errors == [
        (
            1204,
            "公民身份号码",
            f"公民身份号码“{shown(row(5)['公民身份号码'], masked=True)}”：与第 9 行的公民身份号码重复。",
        ),
        (
            1304,
            "公民身份号码",
            f"公民身份号码“{shown(elsewhere.id_number, masked=True)}”：该人员已在其他乡镇建档，不能重复导入。",
        ),
    ]
    assert (report.count("new"), report.count("update")) == (count - 3, 1)


def test_preview_and_import_agree(organiser, reference):
    ours = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="本镇老档案")
    elsewhere = CandidateFactory(township=reference[GUANGONG], village=reference[XINAN])
    mixed = rows(1200)
    mixed[10] = {**row(10), "公民身份号码": ours.id_number, "姓名": "本镇老档案", "出生年月": None, "性别": None}
    mixed[20] = {**row(20), "公民身份号码": elsewhere.id_number, "出生年月": None, "性别": None}
    mixed[1100]["政治面貌"] = "中共党员"  # a party member without a party entry date: a warning

    def outcome(report):
        return [(r.row, r.outcome, r.errors) for r in report.rows]

    before = _written()
    previewed = _import(organiser, mixed, reference[MINGYANG], commit=False)
    assert _written() == before
    imported = _import(organiser, mixed, reference[MINGYANG], commit=True)
    assert _written() == before
    assert outcome(previewed) == outcome(imported)
    assert [r for r, _c, _m in imported.errors] == [24]
    assert [(r, c) for r, c, _m in imported.warnings] == [(1104, "入党时间")]

    clean = mixed[:20] + mixed[21:1100]
    previewed = _import(organiser, clean, reference[MINGYANG], commit=False)
    assert _written() == before and not previewed.committed
    imported = _import(organiser, clean, reference[MINGYANG], commit=True)
    assert imported.committed and outcome(previewed) == outcome(imported)
    assert (imported.count("new"), imported.count("update")) == (len(clean) - 1, 1)
    assert Candidate.objects.count() == before[0] + len(clean) - 1


def _preview_queries(actor, township, count: int) -> int:
    content = workbook(rows(count), header=[*HEADER, SKILLS])
    with CaptureQueriesContext(connection) as ctx:
        report = run_import(actor=actor, content=content, township=township, commit=False)
    assert report.count("new") == count and not report.errors
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def test_the_queries_of_an_import_do_not_grow_with_its_rows(organiser, reference):
    few = _preview_queries(organiser, reference[MINGYANG], 20)
    many = _preview_queries(organiser, reference[MINGYANG], BATCH_SIZE)
    # SQLite's bulk_create splits 1,000 files (37 columns) into two INSERTs: its 32,766-parameter limit.
    assert many - few <= (1 if connection.vendor == "sqlite" else 0), (few, many)
    assert many <= IMPORT_QUERY_BUDGET, many


# Each check constraint of Candidate, and fields that break it: create_candidates skips the per-row
# database check (validate_constraints=False), so clean() or the field must refuse these rows itself.
CONSTRAINT_BREAKERS = {
    "candidate_status_valid": {"status": "made_up"},  # never taken from input: the service files a prospect
    "candidate_source_valid": {"source_category": "made_up"},
    "candidate_willingness_valid": {"willingness": "made_up"},
    "candidate_party_entry_after_birth": {"political_status_id": "01", "party_entry_date": datetime.date(1990, 5, 1)},
}


def _fields(reference, **overrides) -> dict:
    return {
        "name": "约束",
        "id_number": valid_id("19900501", 501),
        "gender_id": "1",
        "ethnicity_id": "01",
        "birth_date": datetime.date(1990, 5, 1),
        "phone": "13900002222",
        "political_status_id": "13",
        "education_id": "21",
        "source_category": "veteran",
        "village": reference[QILONGSHAN],
        **overrides,
    }


def test_every_candidate_constraint_is_checked_before_the_bulk_insert(organiser, reference):
    assert set(CONSTRAINT_BREAKERS) == {c.name for c in Candidate._meta.constraints}, (
        "A new constraint on Candidate: mirror it in clean() and add a case here."
    )
    for name, overrides in CONSTRAINT_BREAKERS.items():
        (outcome,) = create_candidates(
            actor=organiser, township=reference[MINGYANG], rows=[(_fields(reference, **overrides), [])]
        )
        if name == "candidate_status_valid":
            assert outcome.status == "prospect"
            outcome.delete()
        else:
            assert isinstance(outcome, ValidationError), name
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"education_id": "99"}, "education"),  # not in the code table: ForeignKey.validate's own message
        ({"ethnicity_id": "77"}, "ethnicity"),
        ("a township for a village", "village"),  # limit_choices_to, as ForeignKey.validate applies it
        ("other township's village", "village"),
        ("twice", "id_number"),
    ],
)
def test_unknown_references_and_repeated_people_are_refused_by_the_service(organiser, reference, overrides, field):
    if overrides == "other township's village":
        overrides = {"village": reference[XINAN]}
    if overrides == "a township for a village":
        overrides = {"village": reference[GUANGONG]}
    extra = []
    if overrides == "twice":
        overrides, extra = {}, [(_fields(reference), [])]
    outcomes = create_candidates(
        actor=organiser, township=reference[MINGYANG], rows=[*extra, (_fields(reference, **overrides), [])]
    )
    refused = outcomes[-1]
    assert isinstance(refused, ValidationError) and set(refused.message_dict) == {field}, refused
    assert Candidate.objects.count() == len(extra)

"""One factory_boy factory per model of the product apps (tests/site/test_factories.py keeps it so).

Each factory builds a row that passes `full_clean()`, with the reference data the test session loads:
Enyang's divisions (reached through `unit(code)`), the national code tables and the post types.
Factories write rows directly, as test setup; the services' own rules (who may act, status moves)
are tested through the services.
"""

import datetime
import hashlib
import random
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import Assessment, Decision, Evidence, Rating, Review, ReviewRound
from cadre_pool.accounts.otp import new_secret
from cadre_pool.models import (
    AuditAction,
    AuditEvent,
    CodeSynonym,
    Degree,
    Education,
    Ethnicity,
    Export,
    Gender,
    HealthStatus,
    LoginLock,
    OrgUnit,
    OTPDevice,
    PasswordHistory,
    PoliticalStatus,
    RecoveryCode,
    Role,
    User,
)
from candidates.demo import make_name
from candidates.identity import id_check_char
from candidates.models import (
    Candidate,
    Contact,
    ContactKind,
    ImportBatch,
    NeedField,
    PolicyCategory,
    PolicyDelivery,
    PolicyItem,
    PoolEvent,
    PoolStatus,
    ReserveAssignment,
    SkillTag,
    SourceCategory,
    VillageNeed,
    WorkHistoryEntry,
)
from candidates.pinyin import name_initials
from mentorship.models import (
    Mentor,
    MentorAssignment,
    MentoringLog,
    Placement,
    PlanItem,
    PostType,
    Secondment,
    TrainingCourse,
    add_months,
)
from mentorship.reference import DEFAULT_POST_TYPES
from mentorship.services import refresh_current_flags

DISTRICT = "511903000000"  # 恩阳区
MINGYANG = "511903100000"  # 明阳镇
GUANGONG = "511903112000"  # 关公镇
QILONGSHAN = "511903100213"  # 明阳镇骑龙山村
XINAN = "511903112206"  # 关公镇西南村

_rng = random.Random(11643)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def _today() -> datetime.date:
    return timezone.localdate()


def _days_ago(days: int) -> datetime.date:
    return _today() - datetime.timedelta(days=days)


def _a_village_of(township: OrgUnit, *, besides: OrgUnit | None = None) -> OrgUnit:
    """The township's first village, or the first other than `besides` (a secondment is spent away from home)."""
    villages = OrgUnit.objects.villages().filter(parent=township).exclude(pk=getattr(besides, "pk", None))
    # A village proper (村民委员会) rather than a residents' committee, when the township has one.
    return villages.filter(name__endswith="村民委员会").order_by("code").first() or villages.order_by("code").first()


def _organiser_of(township_path: str) -> factory.SubFactory:
    """A new organiser of the township that `township_path` names from the factory's own attributes."""
    return factory.SubFactory(UserFactory, role=Role.ORGANISER, unit=factory.SelfAttribute(f"..{township_path}"))


# ---------------------------------------------------------------------------
# cadre_pool: organisation, accounts, code tables, audit, exports
# ---------------------------------------------------------------------------


_UNIT_NAMES = {
    OrgUnit.Level.VILLAGE: ("青杠村", "桂花村", "白鹤村", "石板村", "大河村", "中兴村", "和平村", "柏林村"),
    OrgUnit.Level.TOWNSHIP: ("新设镇", "柳林镇", "观音井镇", "花丛镇"),
    OrgUnit.Level.DISTRICT: ("新设区", "云台区"),
}


def _unit_code(o, n: int) -> str:
    """A code the shipped division file does not use: villages from 300, townships from 200, districts 511950 on."""
    if o.level == OrgUnit.Level.VILLAGE:
        return f"{o.parent.code[:9]}{300 + n % 700:03d}"
    if o.level == OrgUnit.Level.TOWNSHIP:
        return f"{o.parent.code[:6]}{200 + n % 700:03d}000"
    return f"5119{50 + n % 50:02d}000000"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """A new village of 明阳镇; `township=True` a new township of the district, `district=True` a new
    district beside Enyang (no parent, as the shipped division file has no city row)."""

    class Meta:
        model = OrgUnit

    class Params:
        township = factory.Trait(level=OrgUnit.Level.TOWNSHIP, parent=factory.LazyFunction(lambda: unit(DISTRICT)))
        district = factory.Trait(level=OrgUnit.Level.DISTRICT, parent=None)

    level = OrgUnit.Level.VILLAGE
    parent = factory.LazyFunction(lambda: unit(MINGYANG))
    code = factory.LazyAttributeSequence(_unit_code)
    name = factory.LazyAttributeSequence(lambda o, n: _UNIT_NAMES[o.level][n % len(_UNIT_NAMES[o.level])])
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else ''}{o.code}/")


class UserFactory(factory.django.DjangoModelFactory):
    """An organiser of 明阳镇 by default; any other role is bound to the district."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.ORGANISER
    unit = factory.LazyAttribute(lambda o: unit(MINGYANG if o.role == Role.ORGANISER else DISTRICT))
    password = factory.django.Password("Test-Pass-2026")


class _CodeTableEntryFactory(factory.django.DjangoModelFactory):
    """A row of a national code table: by default one of the codes the session loaded, in turn
    (`django_get_or_create`), so that a candidate's codes and the table agree. A code the table does not
    have makes a new row; give it a name."""

    class Meta:
        abstract = True
        django_get_or_create = ("code",)

    name = factory.LazyAttribute(lambda o: f"自定义代码{o.code}")


class GenderFactory(_CodeTableEntryFactory):
    class Meta:
        model = Gender

    code = factory.Iterator(["1", "2"])  # 男性, 女性


class EthnicityFactory(_CodeTableEntryFactory):
    class Meta:
        model = Ethnicity

    code = factory.Iterator(["01", "07", "04", "33"])  # 汉族, 彝族, 藏族, 羌族


class PoliticalStatusFactory(_CodeTableEntryFactory):
    class Meta:
        model = PoliticalStatus

    code = factory.Iterator(["01", "03", "13"])  # 中共党员, 共青团员, 群众


class EducationFactory(_CodeTableEntryFactory):
    class Meta:
        model = Education

    code = factory.Iterator(["21", "31", "41", "61"])  # 大学本科毕业, 大学专科毕业, 中等专科毕业, 普通高中毕业


class DegreeFactory(_CodeTableEntryFactory):
    class Meta:
        model = Degree

    code = factory.Iterator(["4", "3"])  # 学士, 硕士


class HealthStatusFactory(_CodeTableEntryFactory):
    class Meta:
        model = HealthStatus

    code = factory.Iterator(["1", "2"])  # 健康或良好, 一般或较弱


_SYNONYMS = ("自考本科", "函授本科", "成人本科", "网络本科", "电大本科")


class CodeSynonymFactory(factory.django.DjangoModelFactory):
    """A way of writing 大学本科毕业 that the shipped synonyms do not have."""

    class Meta:
        model = CodeSynonym

    table = CodeSynonym.Table.EDUCATION
    code = "21"
    synonym = factory.Sequence(lambda n: _SYNONYMS[n % 5] + (str(n // 5) if n >= 5 else ""))


class AuditEventFactory(factory.django.DjangoModelFactory):
    """A system administrator's edit of an organisation unit. Pass `actor=None` for a row with no actor."""

    class Meta:
        model = AuditEvent

    class Params:
        actor = factory.SubFactory(UserFactory, role=Role.SYSTEM_ADMIN)
        obj = factory.LazyFunction(lambda: unit(QILONGSHAN))

    created_at = factory.LazyFunction(timezone.now)
    actor_id = factory.LazyAttribute(lambda o: o.actor.pk if o.actor else None)
    actor_name = factory.LazyAttribute(lambda o: str(o.actor) if o.actor else "")
    actor_role = factory.LazyAttribute(lambda o: o.actor.role if o.actor else "")
    ip = "10.20.30.40"
    action = AuditAction.UPDATE
    object_type = factory.LazyAttribute(lambda o: o.obj._meta.label_lower if o.obj else "")
    object_id = factory.LazyAttribute(lambda o: str(o.obj.pk) if o.obj else "")
    object_label = factory.LazyAttribute(lambda o: str(o.obj) if o.obj else "")
    before = {"is_model_village": False}
    after = {"is_model_village": True}
    personal_info = False


class ExportFactory(factory.django.DjangoModelFactory):
    """A roster export queued for the background worker."""

    class Meta:
        model = Export

    owner = factory.SubFactory(UserFactory, role=Role.DISTRICT_STAFF)
    kind = "roster"
    # A list's filters as the export keeps them (query-string lists); `{}` fails full_clean (blank=False).
    params = factory.LazyFunction(lambda: {"status": [PoolStatus.IN_POOL]})
    status = Export.Status.QUEUED
    total = 2000


class PasswordHistoryFactory(factory.django.DjangoModelFactory):
    """A password the user had three months ago."""

    class Meta:
        model = PasswordHistory

    user = factory.SubFactory(UserFactory)
    password = factory.LazyFunction(lambda: make_password("Earlier-Pass-2026"))
    created_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=90))


class LoginLockFactory(factory.django.DjangoModelFactory):
    """One failed sign-in; `locked=True` for a username locked after too many."""

    class Meta:
        model = LoginLock

    class Params:
        locked = factory.Trait(
            failures=factory.LazyFunction(lambda: settings.LOGIN_FAILURE_LIMIT),
            locked_until=factory.LazyFunction(
                lambda: timezone.now() + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            ),
        )

    username = factory.Sequence(lambda n: f"wangli{n}")
    failures = 1
    last_failure_at = factory.LazyFunction(timezone.now)


class OTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator; the secret (a base32 string) is encrypted as the model keeps it."""

    class Meta:
        model = OTPDevice

    user = factory.SubFactory(UserFactory, role=Role.DISTRICT_STAFF)
    secret = factory.LazyFunction(new_secret)
    confirmed_at = factory.LazyFunction(timezone.now)


class RecoveryCodeFactory(factory.django.DjangoModelFactory):
    """An unused recovery code; `code` is the plain code whose hash is stored."""

    class Meta:
        model = RecoveryCode

    class Params:
        code = factory.Sequence(lambda n: f"{n:08x}-5e3a9c1f")

    user = factory.SubFactory(UserFactory, role=Role.DISTRICT_STAFF)
    code_hash = factory.LazyAttribute(lambda o: make_password(o.code))


# ---------------------------------------------------------------------------
# candidates: files, pool events, imports, outreach, village needs
# ---------------------------------------------------------------------------

_SKILL_KINDS = {
    "种养殖": SkillTag.Kind.INDUSTRY,
    "电商": SkillTag.Kind.INDUSTRY,
    "乡村旅游": SkillTag.Kind.INDUSTRY,
    "农产品加工": SkillTag.Kind.INDUSTRY,
    "财务": SkillTag.Kind.PROFESSIONAL,
    "农业技术": SkillTag.Kind.PROFESSIONAL,
}


class SkillTagFactory(factory.django.DjangoModelFactory):
    """A term of the vocabulary the migrations seed, in turn; a new name makes a new term."""

    class Meta:
        model = SkillTag
        django_get_or_create = ("name",)

    name = factory.Iterator(list(_SKILL_KINDS))
    kind = factory.LazyAttribute(lambda o: _SKILL_KINDS.get(o.name, SkillTag.Kind.INDUSTRY))


def _birth(age: int) -> datetime.date:
    return _today() - datetime.timedelta(days=age * 365 + 100)


def _id_number(birth: datetime.date, male: bool, n: int) -> str:
    # The sequence number keeps factory IDs unique; its last digit carries the gender.
    sequence = (n % 500) * 2 + (1 if male else 0)
    body = f"{511903 + n // 500:06d}{birth:%Y%m%d}{sequence:03d}"
    return body + id_check_char(body)


class CandidateFactory(factory.django.DjangoModelFactory):
    """A complete file of a 35-year-old graduate in the pool of 明阳镇, with its first pool event."""

    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    class Params:
        age = 35
        male = True

    name = factory.LazyAttribute(lambda o: make_name(_rng, o.male))
    name_initials = factory.LazyAttribute(lambda o: name_initials(o.name))
    gender_id = factory.LazyAttribute(lambda o: "1" if o.male else "2")
    ethnicity_id = "01"
    birth_date = factory.LazyAttribute(lambda o: _birth(o.age))
    id_number = factory.LazyAttributeSequence(lambda o, n: _id_number(o.birth_date, o.male, n))
    phone = factory.Sequence(lambda n: f"1380000{n % 10000:04d}")
    political_status_id = "13"
    party_entry_date = None
    education_id = "21"
    degree_id = "4"  # 学士: a graduate's file holds the degree (candidates.completeness)
    native_place = "四川巴中"  # a complete file (candidates.completeness) unless a test says otherwise
    source_category = SourceCategory.COLLEGE_GRADUATE
    village = None
    township = factory.LazyAttribute(lambda o: o.village.parent if o.village else unit(MINGYANG))
    status = PoolStatus.IN_POOL

    @factory.post_generation
    def first_event(obj, create, extracted, **kwargs):
        if create:
            actor = User.objects.filter(role=Role.DISTRICT_STAFF).first() or UserFactory(
                role=Role.DISTRICT_STAFF, unit=unit(DISTRICT)
            )
            PoolEvent.objects.create(
                candidate=obj,
                township_id=obj.township_id,
                from_status="",
                to_status=obj.status,
                actor=actor,
                actor_role=actor.role,
            )


class WorkHistoryEntryFactory(factory.django.DjangoModelFactory):
    """Five years with a local agricultural company, from the year the candidate turned 22."""

    class Meta:
        model = WorkHistoryEntry

    candidate = factory.SubFactory(CandidateFactory)
    start = factory.LazyAttribute(lambda o: datetime.date(o.candidate.birth_date.year + 22, 9, 1))
    end = factory.LazyAttribute(lambda o: min(datetime.date(o.start.year + 5, 6, 30), _today()))
    unit = "巴中市恩阳区青木农业发展有限公司"
    role = "销售主管"


class PoolEventFactory(factory.django.DjangoModelFactory):
    """District staff confirming a proposal: proposed → in pool (the candidate's status)."""

    class Meta:
        model = PoolEvent

    candidate = factory.SubFactory(CandidateFactory)
    township = factory.SelfAttribute("candidate.township")
    from_status = PoolStatus.PROPOSED
    to_status = PoolStatus.IN_POOL
    reason = ""
    actor = factory.SubFactory(UserFactory, role=Role.DISTRICT_STAFF)
    actor_role = factory.SelfAttribute("actor.role")
    approved_by = factory.SelfAttribute("actor")


_XLSX = b"PK\x03\x04"  # the first bytes of a workbook; what the preview read is in `summary`


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """A roster an organiser uploaded and previewed."""

    class Meta:
        model = ImportBatch

    owner = factory.SubFactory(UserFactory, role=Role.ORGANISER)
    township = factory.SelfAttribute("owner.unit")
    file = factory.LazyAttribute(lambda o: ContentFile(_XLSX, name=f"{o.file_hash}.xlsx"))
    original_name = "明阳镇后备力量花名册.xlsx"
    file_hash = factory.Sequence(lambda n: hashlib.sha256(_XLSX + str(n).encode()).hexdigest())
    # What the preview keeps of its report (candidates.importing.ImportReport.as_summary): one new file.
    summary = factory.LazyAttribute(
        lambda o: {
            "file_hash": o.file_hash,
            "committed": False,
            "header_rows": [1],
            "notes": [],
            "rows": [
                {
                    "row": 2,
                    "name": "张伟",
                    "outcome": "new",
                    "errors": [],
                    "warnings": [],
                    "reason": "",
                    "incomplete": False,
                }
            ],
        }
    )


class ContactFactory(factory.django.DjangoModelFactory):
    """A face-to-face talk last week with one candidate of 明阳镇 (pass `candidates=[...]` for others)."""

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    township = factory.LazyFunction(lambda: unit(MINGYANG))
    kind = ContactKind.TALK
    date = factory.LazyFunction(lambda: _days_ago(7))
    place = "骑龙山村党群服务中心"
    attendees = "镇党委组织委员 王强"
    discussed = "介绍返乡任职补贴政策，了解本人回村任职意愿"
    outcome = "有返乡意愿，需与家人商量"
    next_step = "一个月后再次恳谈"
    next_step_date = factory.LazyAttribute(lambda o: o.date + datetime.timedelta(days=30))
    recorded_by = _organiser_of("township")

    @factory.post_generation
    def candidates(obj, create, extracted, **kwargs):
        if create:
            obj.candidates.set(extracted if extracted is not None else [CandidateFactory(township=obj.township)])


class PolicyItemFactory(factory.django.DjangoModelFactory):
    """The district's return-to-post subsidy, in force since 2025."""

    class Meta:
        model = PolicyItem

    unit = factory.LazyFunction(lambda: unit(DISTRICT))
    category = PolicyCategory.RETURN_SUBSIDY
    title = "返乡人才回村任职补贴"
    amount = "每月 2000 元"
    conditions = "回村担任村干部满一年"
    issuing_body = "恩阳区委组织部"
    valid_from = datetime.date(2025, 1, 1)


class PolicyDeliveryFactory(factory.django.DjangoModelFactory):
    """A policy item handed to a candidate a week ago."""

    class Meta:
        model = PolicyDelivery

    candidate = factory.SubFactory(CandidateFactory)
    policy = factory.SubFactory(PolicyItemFactory)
    handed_on = factory.LazyFunction(lambda: _days_ago(7))
    recorded_by = _organiser_of("candidate.township")


class VillageNeedFactory(factory.django.DjangoModelFactory):
    """骑龙山村 wants someone to lead its kiwi-fruit cooperative; pass `skills=[...]` for wanted skills."""

    class Meta:
        model = VillageNeed
        skip_postgeneration_save = True

    village = factory.LazyFunction(lambda: unit(QILONGSHAN))
    field = NeedField.INDUSTRY
    title = "猕猴桃产业带头人"
    description = "带领村集体经济合作社发展猕猴桃种植和销售"
    age_min = 25
    age_max = 45
    education_floor_id = "30"  # 大学专科教育: a top-level entry, as the field allows
    source_categories = f"{SourceCategory.RETURNEE_ENTREPRENEUR},{SourceCategory.COLLEGE_GRADUATE}"
    created_by = _organiser_of("village.parent")

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)


class ReserveAssignmentFactory(factory.django.DjangoModelFactory):
    """A candidate of the need's township made a reserve for its village (their target village)."""

    class Meta:
        model = ReserveAssignment

    need = factory.SubFactory(VillageNeedFactory)
    candidate = factory.SubFactory(
        CandidateFactory,
        township=factory.SelfAttribute("..need.village.parent"),
        target_village=factory.SelfAttribute("..need.village"),
    )
    score = Decimal("86.5")
    assigned_by = factory.SelfAttribute("need.created_by")


# ---------------------------------------------------------------------------
# mentorship: mentors, mentoring, growth plans, posts, secondments, courses
# ---------------------------------------------------------------------------


def _refresh_flags(obj, create, extracted, **kwargs) -> None:
    """Keep the file's has_current_* flags as the services keep them."""
    if create:
        refresh_current_flags([obj.candidate_id])
        obj.candidate.refresh_from_db(fields=["has_current_mentor", "has_current_post", "has_current_secondment"])


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    name = factory.Sequence(lambda n: f"导师{n}")
    role = Mentor.Role.VILLAGE_SECRETARY
    work_unit = "骑龙山村党支部书记"
    township = factory.LazyFunction(lambda: unit(MINGYANG))
    phone = factory.Sequence(lambda n: f"1370000{n % 10000:04d}")
    capacity = 3


def _has_current_lead(candidate: Candidate) -> bool:
    if candidate.pk is None:
        return False
    return MentorAssignment.objects.filter(candidate=candidate, is_lead=True, end_date__isnull=True).exists()


class MentorAssignmentFactory(factory.django.DjangoModelFactory):
    """A mentor of the candidate's township coaching them since last month; the lead unless they have one."""

    class Meta:
        model = MentorAssignment
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    mentor = factory.SubFactory(MentorFactory, township=factory.SelfAttribute("..candidate.township"))
    is_lead = factory.LazyAttribute(lambda o: not _has_current_lead(o.candidate))
    start_date = factory.LazyFunction(lambda: _days_ago(30))
    recorded_by = _organiser_of("candidate.township")

    flags = factory.PostGeneration(_refresh_flags)


def _current_mentor(candidate: Candidate) -> Mentor | None:
    if candidate.pk is None:
        return None
    assignment = (
        candidate.mentor_assignments.filter(end_date__isnull=True).order_by("-is_lead", "start_date", "pk").first()
    )
    return assignment.mentor if assignment else None


class MentoringLogFactory(factory.django.DjangoModelFactory):
    """Yesterday's policy study, with the candidate's lead mentor if they have one."""

    class Meta:
        model = MentoringLog

    candidate = factory.SubFactory(CandidateFactory)
    mentor = factory.LazyAttribute(lambda o: _current_mentor(o.candidate))
    date = factory.LazyFunction(lambda: _days_ago(1))
    kind = MentoringLog.Kind.POLICY_STUDY
    content = "学习乡村振兴促进法，交流村集体经济发展思路"
    mentor_comment = "学习认真，能结合本村实际提出想法"
    recorded_by = _organiser_of("candidate.township")


class PlanItemFactory(factory.django.DjangoModelFactory):
    """A growth-plan item due in three months."""

    class Meta:
        model = PlanItem

    candidate = factory.SubFactory(CandidateFactory)
    kind = PlanItem.Kind.MENTORING
    goal = "在导师指导下主持一次村民议事会"
    due_date = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=90))
    status = PlanItem.Status.PLANNED
    recorded_by = _organiser_of("candidate.township")


class PostTypeFactory(factory.django.DjangoModelFactory):
    """One of the post types every migrated database has, in turn; a new name makes a new one."""

    class Meta:
        model = PostType
        django_get_or_create = ("name",)

    name = factory.Iterator(DEFAULT_POST_TYPES)
    sort_order = 99


class PlacementFactory(factory.django.DjangoModelFactory):
    """A post in the candidate's home village (or a village of their township), held since last month."""

    class Meta:
        model = Placement
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    post_type = factory.SubFactory(PostTypeFactory)
    village = factory.LazyAttribute(lambda o: o.candidate.village or _a_village_of(o.candidate.township))
    start_date = factory.LazyFunction(lambda: _days_ago(30))
    duties = "协助村党组织书记开展党建和村务工作"
    recorded_by = _organiser_of("candidate.township")

    flags = factory.PostGeneration(_refresh_flags)


class SecondmentFactory(factory.django.DjangoModelFactory):
    """A four-month full-time secondment, begun last month, in another village of the candidate's township."""

    class Meta:
        model = Secondment
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    host_village = factory.LazyAttribute(lambda o: _a_village_of(o.candidate.township, besides=o.candidate.village))
    mode = Secondment.Mode.FULL_TIME
    planned_start = factory.LazyFunction(lambda: _days_ago(30))
    planned_end = factory.LazyAttribute(lambda o: add_months(o.planned_start, 4))
    approval = Secondment.Approval.STANDARD
    recorded_by = _organiser_of("candidate.township")

    flags = factory.PostGeneration(_refresh_flags)


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    """A four-day course the district ran last month."""

    class Meta:
        model = TrainingCourse

    candidate = factory.SubFactory(CandidateFactory)
    name = "村级后备力量示范培训班"
    organiser = "恩阳区委组织部"
    start_date = factory.LazyFunction(lambda: _days_ago(40))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=3))
    hours = Decimal("32.0")
    result = "结业"
    recorded_by = _organiser_of("candidate.township")


# ---------------------------------------------------------------------------
# assessments: key-task assessments, look-back reviews, decisions
# ---------------------------------------------------------------------------


class AssessmentFactory(factory.django.DjangoModelFactory):
    """How the candidate did in an industry task ten days ago, recorded by their township's organiser."""

    class Meta:
        model = Assessment

    candidate = factory.SubFactory(CandidateFactory)
    kind = Assessment.Kind.INDUSTRY
    date = factory.LazyFunction(lambda: _days_ago(10))
    description = "牵头组建猕猴桃专业合作社，带动12户农户增收"
    rating = Rating.GOOD
    recorded_by = _organiser_of("candidate.township")


_PDF = b"%PDF-1.4\n%%EOF\n"


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A PDF supporting an assessment, uploaded by whoever recorded it."""

    class Meta:
        model = Evidence

    assessment = factory.SubFactory(AssessmentFactory)
    file = factory.django.FileField(data=_PDF, filename="evidence.pdf")
    original_name = "合作社成立会议纪要.pdf"
    content_type = "application/pdf"
    size = len(_PDF)
    uploaded_by = factory.SelfAttribute("assessment.recorded_by")


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    """The district's open look-back round over this year so far, due in a month."""

    class Meta:
        model = ReviewRound

    unit = factory.LazyFunction(lambda: unit(DISTRICT))
    name = factory.LazyFunction(lambda: f"{_today().year}年度后备力量回头看")
    period_start = factory.LazyFunction(lambda: datetime.date(_today().year, 1, 1))
    period_end = factory.LazyFunction(_today)
    due_date = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=30))
    status = ReviewRound.Status.OPEN
    opened_by = factory.SubFactory(UserFactory, role=Role.DISTRICT_STAFF)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A candidate's place in a round, not yet filled; `filled=True` for a review proposing to keep them."""

    class Meta:
        model = Review

    class Params:
        filled = factory.Trait(
            political=Rating.GOOD,
            political_comment="理想信念坚定",
            ability=Rating.GOOD,
            ability_comment="能协助处理村务",
            style=Rating.EXCELLENT,
            style_comment="作风扎实",
            reputation=Rating.GOOD,
            reputation_comment="群众认可度较高",
            votes_excellent=12,
            votes_good=20,
            votes_fair=3,
            votes_poor=0,
            conclusion=Review.Conclusion.KEEP,
            filled_by=_organiser_of("candidate.township"),
            filled_at=factory.LazyFunction(timezone.now),
        )

    round = factory.SubFactory(ReviewRoundFactory)
    candidate = factory.SubFactory(CandidateFactory)


def _decision_reason(o) -> str:
    """The pool event's reason, worded as assessments.services words it."""
    if o.kind == Decision.Kind.EXIT:
        return f"{Decision.ExitReason(o.exit_reason).label}：{o.note}"
    return f"{Decision.Post(o.post).label}（{o.village}）{o.note}".strip()


class DecisionFactory(factory.django.DjangoModelFactory):
    """A removal at the candidate's own wish, with its pool event (in pool → exited);
    `promotion=True` for a promotion to village Party secretary of their village."""

    class Meta:
        model = Decision

    class Params:
        promotion = factory.Trait(
            kind=Decision.Kind.PROMOTION,
            exit_reason="",
            note="",
            post=Decision.Post.VILLAGE_SECRETARY,
            village=factory.LazyAttribute(lambda o: o.candidate.village or _a_village_of(o.candidate.township)),
        )
        # Where the decision took the candidate. A trait cannot say it as `candidate__status`: an inactive
        # trait's deep overrides drop the subfactory's own values (factory_boy).
        to_status = factory.LazyAttribute(
            lambda o: PoolStatus.EXITED if o.kind == Decision.Kind.EXIT else PoolStatus.PROMOTED
        )
        reason = factory.LazyAttribute(_decision_reason)

    candidate = factory.SubFactory(CandidateFactory, status=factory.SelfAttribute("..to_status"))
    kind = Decision.Kind.EXIT
    exit_reason = Decision.ExitReason.OWN_WISH
    note = "本人在外经营企业，申请退出后备力量库"
    effective_date = factory.LazyFunction(_today)
    pool_event = factory.SubFactory(
        PoolEventFactory,
        candidate=factory.SelfAttribute("..candidate"),
        from_status=PoolStatus.IN_POOL,
        to_status=factory.SelfAttribute("..to_status"),
        reason=factory.SelfAttribute("..reason"),
    )
    decided_by = factory.SelfAttribute("pool_event.actor")

"""A deterministic, made-up Enyang district for demonstrations and tests.

Names are drawn at random from common characters, ID numbers are generated to
pass the GB 11643 check and phones use the 1390000xxxx block: nothing here is
meant to describe a real person.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cadre_pool.models import OrgUnit, Role, User
from candidates.identity import id_check_char
from candidates.models import (
    FUNNEL_STAGES,
    Candidate,
    Contact,
    ContactKind,
    PolicyDelivery,
    PolicyItem,
    PoolEvent,
    PoolStatus,
    SkillTag,
    SourceCategory,
    VillageNeed,
    Willingness,
    is_decision,
)
from candidates.pinyin import name_initials

DISTRICT_CODE = "511903000000"
DEMO_PASSWORD = "Cadre-Demo-2026"  # noqa: S105 - published on purpose; refused when DEBUG is off

# The four villages of the district's own report always get candidates.
FEATURED_VILLAGES = ["511903100213", "511903112206", "511903102215", "511903105219"]
MODEL_VILLAGES = ["511903100213", "511903112206", "511903102215", "511903105219", "511903101201", "511903113203"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit_code: str


DEMO_ACCOUNTS = [
    DemoAccount("district", "区委组织部 示例干部", Role.DISTRICT_STAFF, DISTRICT_CODE),
    DemoAccount("mingyang", "明阳镇 组织委员（示例）", Role.ORGANISER, "511903100000"),
    DemoAccount("guangong", "关公镇 组织委员（示例）", Role.ORGANISER, "511903112000"),
    DemoAccount("leader", "分管领导（示例）", Role.DISTRICT_LEADER, DISTRICT_CODE),
    DemoAccount("admin", "系统管理员（示例）", Role.SYSTEM_ADMIN, DISTRICT_CODE),
    DemoAccount("auditor", "审计管理员（示例）", Role.AUDIT_ADMIN, DISTRICT_CODE),
]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文苟岳冉"
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳成兵东海峰建国文志勇永江川"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳洁颖慧倩晶莉梅兰红英华萍琴云秀凤"

WEIGHTED = {
    "source": [
        (SourceCategory.MIGRANT_BUSINESS, 30),
        (SourceCategory.COLLEGE_GRADUATE, 20),
        (SourceCategory.VETERAN, 12),
        (SourceCategory.WEALTH_LEADER, 12),
        (SourceCategory.RETURNEE_ENTREPRENEUR, 12),
        (SourceCategory.VILLAGE_CADRE, 10),
        (SourceCategory.OTHER, 4),
    ],
    "status": [
        (PoolStatus.IN_POOL, 60),
        (PoolStatus.FILED, 5),
        (PoolStatus.PROPOSED, 3),
        (PoolStatus.WILLING, 7),
        (PoolStatus.CONTACTED, 7),
        (PoolStatus.PROSPECT, 8),
        (PoolStatus.PROMOTED, 6),
        (PoolStatus.EXITED, 4),
    ],
    "political": [("01", 60), ("02", 10), ("03", 10), ("13", 20)],
    "education": [("21", 25), ("31", 35), ("61", 18), ("41", 6), ("44", 4), ("71", 12)],
}

FUNNEL = list(FUNNEL_STAGES)
# Address codes of the issuing place at issue time: the district and its predecessors.
ID_AREA_CODES = ["511902", "511903", "511921", "511922"]


def _pick(rng: random.Random, key: str):
    values, weights = zip(*WEIGHTED[key], strict=True)
    return rng.choices(values, weights=weights)[0]


def make_id_number(rng: random.Random, birth: datetime.date, male: bool) -> str:
    sequence = rng.randrange(0, 100) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{rng.choice(ID_AREA_CODES)}{birth:%Y%m%d}{sequence:03d}"
    return body + id_check_char(body)


def make_name(rng: random.Random, male: bool) -> str:
    pool = GIVEN_MALE if male else GIVEN_FEMALE
    given = "".join(rng.choice(pool) for _ in range(rng.choice([1, 2, 2])))
    return rng.choice(SURNAMES) + given


@transaction.atomic
def ensure_demo_accounts() -> list[tuple[DemoAccount, bool]]:
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={a.unit_code for a in DEMO_ACCOUNTS})}
    result = []
    for account in DEMO_ACCOUNTS:
        _user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "full_name": account.full_name,
                "role": account.role,
                "unit": units[account.unit_code],
                "password": make_password(DEMO_PASSWORD),
            },
        )
        result.append((account, created))
    return result


def _flag_model_villages() -> None:
    OrgUnit.objects.filter(code__in=MODEL_VILLAGES).update(is_model_village=True)
    OrgUnit.objects.filter(code__in=MODEL_VILLAGES[:2]).update(is_star_village=True)


@transaction.atomic
def seed_candidates(*, count: int, seed: int) -> int:
    """Create `count` candidates deterministically; those already present are left alone."""
    rng = random.Random(seed)
    _flag_model_villages()
    villages = list(OrgUnit.objects.villages().filter(path__startswith=f"{DISTRICT_CODE}/").order_by("code"))
    by_code = {v.code: v for v in villages}
    organisers = {u.unit_id: u for u in User.objects.filter(role=Role.ORGANISER)}
    district_staff = User.objects.filter(role=Role.DISTRICT_STAFF).order_by("pk").first()
    if district_staff is None:
        raise ValueError("seed_candidates needs the demo accounts: run ensure_demo_accounts() first")
    today = timezone.localdate()
    existing = set(Candidate.objects.values_list("id_number", flat=True))

    home_slots = _reserve_slots(rng, villages)
    by_township: dict[int, list[OrgUnit]] = {}
    for village in villages:
        by_township.setdefault(village.parent_id, []).append(village)

    candidates, histories = [], []
    for index in range(count):
        status = _pick(rng, "status")
        if index < len(FEATURED_VILLAGES):
            village = by_code[FEATURED_VILLAGES[index]]
        elif status == PoolStatus.IN_POOL and home_slots:
            village = home_slots.pop()
        else:
            village = rng.choice(villages)
        # Some townships name the village a person is meant for; the rest count by home village.
        target = rng.choice(by_township[village.parent_id]) if rng.random() < 0.12 else None
        male = rng.random() < 0.7
        age = min(48, max(22, int(rng.gauss(35, 6))))
        birth = today - datetime.timedelta(days=age * 365 + rng.randrange(0, 365))
        number = make_id_number(rng, birth, male)
        political = _pick(rng, "political")
        party_entry = None
        if political in {"01", "02"}:
            # 365-day years plus the leap days eighteen years can hold: never before the 18th birthday.
            party_entry = birth + datetime.timedelta(days=365 * rng.randint(18, max(18, age - 1)) + 5)
            party_entry = min(party_entry, today - datetime.timedelta(days=30))
        name = make_name(rng, male)
        row = Candidate(
            name=name,
            name_initials=name_initials(name),
            gender_id="1" if male else "2",
            ethnicity_id="01" if rng.random() < 0.98 else "03",
            birth_date=birth,
            id_number=number,
            phone=f"1390000{rng.randrange(0, 10000):04d}",
            political_status_id=political,
            party_entry_date=party_entry,
            education_id=_pick(rng, "education"),
            source_category=_pick(rng, "source"),
            township_id=village.parent_id,
            village=village,
            target_village=target,
            status=status,
            # Most files are complete; a few lack the native place, as real rosters do (no rng
            # draw, so the rest of the demo stays what it was).
            native_place="" if index % 17 == 5 else "四川巴中",
            notes="",
        )
        # Draw the history even for a skipped row so the random sequence stays the same.
        history = _history(rng, status, today)
        if number in existing:
            continue
        existing.add(number)
        candidates.append(row)
        histories.append(history)

    Candidate.objects.bulk_create(candidates, batch_size=1000)
    events = []
    for candidate, history in zip(candidates, histories, strict=True):
        actor = organisers.get(candidate.township_id, district_staff)
        previous = ""
        for to_status, when in history:
            decided = is_decision(previous, to_status)
            events.append(
                PoolEvent(
                    candidate=candidate,
                    township_id=candidate.township_id,
                    from_status=previous,
                    to_status=to_status,
                    reason="示例数据" if to_status != PoolStatus.EXITED else "本人意愿（示例数据）",
                    actor=district_staff if decided else actor,
                    actor_role=Role.DISTRICT_STAFF if decided else actor.role,
                    approved_by=district_staff if decided else None,
                    created_at=when,
                )
            )
            previous = to_status
    PoolEvent.objects.bulk_create(events, batch_size=2000)
    return len(candidates)


def _reserve_slots(rng: random.Random, villages: list[OrgUnit]) -> list[OrgUnit]:
    """Home villages for the people in the pool: most villages get one or two, some none, a few three,
    as in a district that is still filling its reserves."""
    slots = []
    for village in villages:
        slots.extend([village] * rng.choices([0, 1, 2, 3], weights=[12, 55, 30, 3])[0])
    rng.shuffle(slots)
    return slots


def _history(rng: random.Random, status: str, today: datetime.date) -> list[tuple[str, datetime.datetime]]:
    steps = FUNNEL[: FUNNEL.index(status) + 1] if status in FUNNEL else [*FUNNEL, status]
    start = today - datetime.timedelta(days=rng.randint(60, 720))
    span = (today - start).days
    moments = sorted(rng.randint(0, span) for _ in steps)
    tz = timezone.get_current_timezone()
    return [
        (step, datetime.datetime.combine(start + datetime.timedelta(days=d), datetime.time(9, 30), tzinfo=tz))
        for step, d in zip(steps, moments, strict=True)
    ]


# Intake demo data: policy list, skills, village needs, contacts and reserves -----------------

DEMO_POLICIES = [
    # (unit code, category, title, amount, conditions)
    (
        DISTRICT_CODE,
        "return_subsidy",
        "返乡任职补贴",
        "每月 2000 元，连续 3 年",
        "返乡担任村“两委”成员或书记助理满 6 个月",
    ),
    (
        DISTRICT_CODE,
        "business_loan",
        "返乡创业担保贷款",
        "个人最高 30 万元，三年贴息",
        "在本区注册经营主体，带动就业 3 人以上",
    ),
    (DISTRICT_CODE, "project_support", "村级集体经济项目扶持", "单个项目最高 50 万元", "项目经乡镇审核、区级评审立项"),
    (DISTRICT_CODE, "training", "后备力量能力提升培训", "培训费用全额补助", "纳入后备力量库人员"),
    ("511903100000", "project_support", "明阳镇特色产业奖补", "每亩最高 800 元", "发展规模种养殖 50 亩以上"),
]
DEMO_SKILLS = ["种养殖", "电商", "乡村旅游", "农产品加工", "财务", "法律", "建筑", "物流"]
DEMO_NEEDS = [
    # (village code, field, title, skills)
    ("511903100213", "ecommerce", "发展农产品电商，打开销路", ["电商", "物流"]),
    ("511903112206", "industry", "壮大特色种养殖产业", ["种养殖", "农产品加工"]),
    ("511903102215", "collective", "盘活集体资产，发展乡村旅游", ["乡村旅游", "财务"]),
    ("511903105219", "governance", "加强矛盾调解和基层治理", ["法律"]),
]


@transaction.atomic
def seed_intake(*, seed: int) -> None:
    """Policy items, skills, needs of the featured villages, a few contacts and reserves; safe to run again."""
    rng = random.Random(seed)
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={p[0] for p in DEMO_POLICIES} | set(FEATURED_VILLAGES))}
    policies = [
        PolicyItem.objects.get_or_create(
            unit=units[code],
            title=title,
            defaults={
                "category": category,
                "amount": amount,
                "conditions": conditions,
                "issuing_body": "中共恩阳区委组织部",
                "valid_from": datetime.date(2025, 1, 1),
            },
        )[0]
        for code, category, title, amount, conditions in DEMO_POLICIES
    ]
    tags = {t.name: t for t in SkillTag.objects.filter(name__in=DEMO_SKILLS)}
    candidates = list(Candidate.objects.filter(township__path__startswith=f"{DISTRICT_CODE}/").order_by("id_number"))
    Through = Candidate.skills.through
    if tags and not Through.objects.exists():
        links, flagged = [], []
        for candidate in candidates:
            if rng.random() < 0.55:  # the district reports "45% or more" with experience or skills
                chosen = rng.sample(sorted(tags), k=rng.choice([1, 1, 2]))
                links += [Through(candidate=candidate, skilltag=tags[name]) for name in chosen]
                flagged.append(candidate.pk)
        Through.objects.bulk_create(links)
        Candidate.objects.filter(pk__in=flagged).update(has_industry_skill=True)
        for candidate in candidates:
            candidate.willingness = rng.choice([Willingness.YES, Willingness.YES, Willingness.CONSIDERING, ""])
        Candidate.objects.bulk_update(candidates, ["willingness"])
    staff = User.objects.filter(role=Role.DISTRICT_STAFF).order_by("pk").first()
    organisers = {u.unit_id: u for u in User.objects.filter(role=Role.ORGANISER)}
    for code, field, title, skills in DEMO_NEEDS:
        village = units[code]
        need, created = VillageNeed.objects.get_or_create(
            village=village,
            title=title,
            defaults={"field": field, "created_by": organisers.get(village.parent_id, staff), "age_max": 45},
        )
        if created:
            need.skills.set([tags[name] for name in skills if name in tags])
        # The in-pool people of a featured village are its reserves; some villages get two.
        locals_in_pool = [c for c in candidates if c.village_id == village.pk and c.status == PoolStatus.IN_POOL]
        for candidate in locals_in_pool[: rng.choice([1, 2])]:
            if candidate.target_village_id is None:
                Candidate.objects.filter(pk=candidate.pk).update(target_village=village)
    if not Contact.objects.exists():
        today = timezone.localdate()
        for candidate in [c for c in candidates if c.village_id in {units[v].pk for v in FEATURED_VILLAGES}][:8]:
            actor = organisers.get(candidate.township_id, staff)
            contact = Contact.objects.create(
                township_id=candidate.township_id,
                kind=rng.choice([ContactKind.VISIT, ContactKind.TALK]),
                date=today - datetime.timedelta(days=rng.randint(3, 90)),
                place="村委会",
                attendees=actor.full_name,
                discussed="介绍返乡创业优惠政策，了解本人返乡意愿和产业打算（示例数据）",
                outcome="有返乡意愿",
                recorded_by=actor,
            )
            contact.candidates.set([candidate])
            for policy in rng.sample(policies[:4], k=2):
                PolicyDelivery.objects.get_or_create(
                    candidate=candidate,
                    policy=policy,
                    defaults={"contact": contact, "handed_on": contact.date, "recorded_by": actor},
                )

import datetime
import random

import factory
from django.utils import timezone

from cadre_pool.models import OrgUnit, Role, User
from candidates.demo import make_name
from candidates.identity import id_check_char
from candidates.models import Candidate, PoolEvent, PoolStatus, SourceCategory
from candidates.pinyin import name_initials

_rng = random.Random(11643)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.ORGANISER
    password = factory.django.Password("Test-Pass-2026")


def _birth(age: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=age * 365 + 100)


def _id_number(birth: datetime.date, male: bool, n: int) -> str:
    # The sequence number keeps factory IDs unique; its last digit carries the gender.
    sequence = (n % 500) * 2 + (1 if male else 0)
    body = f"{511903 + n // 500:06d}{birth:%Y%m%d}{sequence:03d}"
    return body + id_check_char(body)


class CandidateFactory(factory.django.DjangoModelFactory):
    """A valid candidate; pass `township` (and optionally `village`)."""

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
    status = PoolStatus.IN_POOL

    @factory.post_generation
    def first_event(obj, create, extracted, **kwargs):
        if create:
            actor = User.objects.filter(role=Role.DISTRICT_STAFF).first() or UserFactory(
                role=Role.DISTRICT_STAFF, unit=unit("511903000000")
            )
            PoolEvent.objects.create(
                candidate=obj,
                township_id=obj.township_id,
                from_status="",
                to_status=obj.status,
                actor=actor,
                actor_role=actor.role,
            )


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentorship.Mentor"

    name = factory.Sequence(lambda n: f"导师{n}")
    role = "village_secretary"
    work_unit = "骑龙山村党支部书记"
    phone = factory.Sequence(lambda n: f"1370000{n % 10000:04d}")
    capacity = 3

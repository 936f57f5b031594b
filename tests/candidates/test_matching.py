"""Matching (S7): one test per score term, and hard constraints that exclude."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cadre_pool.models import OrgUnit
from candidates import matching
from candidates.models import Candidate, SkillTag, VillageNeed
from candidates.services import assign_reserve, save_village_need
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory

OTHER_MINGYANG_VILLAGE = "511903100204"  # 林家庙村


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def need(organiser, reference):
    return save_village_need(
        actor=organiser,
        village=reference[QILONGSHAN],
        fields={"field": "ecommerce", "title": "发展农村电商", "party": "preferred"},
        skills=list(SkillTag.objects.filter(name__in=["电商", "物流"])),
    )


def person(reference, **extra):
    skills = extra.pop("skills", [])
    extra.setdefault("township", reference[MINGYANG])
    extra.setdefault("status", "filed")
    candidate = CandidateFactory(**extra)
    candidate.skills.set(SkillTag.objects.filter(name__in=skills))
    return candidate


def term(need, candidate, key):
    need = VillageNeed.objects.get(pk=need.pk)
    ids = {t.pk for t in need.skills.all()}
    candidate = Candidate.objects.get(pk=candidate.pk)
    return next(t for t in matching.score(need, candidate, ids).terms if t.key == key)


def test_skill_overlap_scores_the_share_of_skills_wanted(need, reference):
    assert term(need, person(reference, skills=["电商", "物流"]), "skills").points == 40
    assert term(need, person(reference, skills=["电商", "财务"]), "skills").points == 20
    half = term(need, person(reference, skills=["电商"]), "skills")
    assert "电商" in half.reason
    assert term(need, person(reference, skills=[]), "skills").points == 0


def test_place_prefers_home_village_then_same_township(need, reference):
    assert term(need, person(reference, village=reference[QILONGSHAN]), "place").points == 15
    same = person(reference, village=None)
    assert term(need, same, "place").points == 10
    other = person(reference, township=reference[GUANGONG], village=reference[XINAN])
    assert term(need, other, "place").points == 0


def test_age_band_scores_inside_the_band(need, reference):
    need.age_max = 40
    need.save()
    assert term(need, person(reference, age=30), "age").points == 10
    # Without a band the district's default bounds (18–45) apply, as a score only.
    need.age_max = None
    need.save()
    assert term(need, person(reference, age=47), "age").points == 0


def test_education_scores_level_against_floor(need, reference):
    assert term(need, person(reference, education_id="21"), "education").points == 10
    assert term(need, person(reference, education_id="61"), "education").points == 5
    assert term(need, person(reference, education_id="71"), "education").points == 0
    need.education_floor_id = "30"
    need.save()
    assert term(need, person(reference, education_id="31"), "education").points == 5
    assert term(need, person(reference, education_id="21"), "education").points == 10


def test_party_membership_scores_when_preferred(need, reference):
    member = person(reference, political_status_id="01", party_entry_date=datetime.date(2015, 7, 1))
    assert term(need, member, "party").points == 10
    assert term(need, person(reference, political_status_id="13"), "party").points == 0
    need.party = "any"
    need.save()
    assert term(need, member, "party").points == 0


def test_source_fit_scores_a_preferred_category(need, reference):
    need.source_categories = "veteran,returnee_entrepreneur"
    need.save()
    assert term(need, person(reference, source_category="veteran"), "source").points == 10
    assert term(need, person(reference, source_category="college_graduate"), "source").points == 0


def test_willingness_scores_yes_over_considering_over_unknown(need, reference):
    assert term(need, person(reference, willingness="yes"), "willingness").points == 10
    assert term(need, person(reference, willingness="considering"), "willingness").points == 5
    assert term(need, person(reference, willingness=""), "willingness").points == 2


def test_total_is_the_sum_of_terms_and_ranks_best_first(need, reference):
    best = person(reference, skills=["电商", "物流"], village=reference[QILONGSHAN], willingness="yes", name="甲")
    worse = person(reference, skills=["电商"], name="乙")
    ranked = matching.rank(VillageNeed.objects.get(pk=need.pk), Candidate.objects.all())
    assert [m.candidate for m in ranked] == [best, worse]
    assert ranked[0].score == sum(t.points for t in ranked[0].terms)


def test_weights_come_from_one_place(need, reference, settings):
    settings.MATCH_WEIGHTS = {"skills": 100}
    assert term(need, person(reference, skills=["电商"]), "skills").points == 50


@pytest.mark.parametrize(
    ("setup", "extra"),
    [
        (lambda n: setattr(n, "age_max", 30), {"age": 35}),
        (lambda n: setattr(n, "age_min", 40), {"age": 35}),
        (lambda n: setattr(n, "education_floor_id", "20"), {"education_id": "31"}),
        (lambda n: setattr(n, "party", "required"), {"political_status_id": "13"}),
        (lambda n: None, {"willingness": "no"}),
        (lambda n: None, {"status": "exited"}),
        (lambda n: None, {"status": "prospect"}),
        (lambda n: None, {"target_village_code": OTHER_MINGYANG_VILLAGE}),
    ],
)
def test_a_candidate_failing_a_hard_constraint_never_appears(need, reference, setup, extra):
    setup(need)
    need.save()
    code = extra.pop("target_village_code", None)
    if code:
        extra["target_village"] = OrgUnit.objects.get(code=code)
    failing = person(reference, skills=["电商", "物流"], willingness=extra.pop("willingness", "yes"), **extra)
    ranked = [m.candidate for m in matching.rank(VillageNeed.objects.get(pk=need.pk), Candidate.objects.all())]
    assert failing not in ranked
    with pytest.raises(ValidationError):
        assign_reserve(actor=need.created_by, need_id=need.pk, candidate_id=failing.pk)
    assert Candidate.objects.get(pk=failing.pk).target_village_id == (extra["target_village"].pk if code else None)

"""Village needs (S5), assigning reserves (S7) and village coverage (S8): rules, scoping, query budgets."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate, ReserveAssignment, SkillTag, VillageNeed
from candidates.services import assign_reserve, change_status, save_village_need
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory
from tests.site.test_query_budget import _count_queries


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def make_need(actor, village, **fields):
    return save_village_need(
        actor=actor,
        village=village,
        fields={"field": "industry", "title": fields.pop("title", "发展特色种养殖"), **fields},
        skills=list(SkillTag.objects.filter(name="种养殖")),
    )


def test_a_need_is_created_open_wanting_one_reserve(organiser, reference):
    need = make_need(organiser, reference[QILONGSHAN])
    assert (need.status, need.reserves_wanted, need.created_by) == ("open", 1, organiser)
    assert [t.name for t in need.skills.all()] == ["种养殖"]


def test_need_rules_are_checked(organiser, reference):
    with pytest.raises(ValidationError):
        make_need(organiser, reference[QILONGSHAN], age_min=40, age_max=30)
    with pytest.raises(ValidationError):
        make_need(organiser, reference[QILONGSHAN], reserves_wanted=0)
    with pytest.raises(ValidationError):
        make_need(organiser, reference[QILONGSHAN], source_categories="veteran,astronaut")
    assert not VillageNeed.objects.exists()


def test_organiser_cannot_create_a_need_for_another_township(organiser, reference):
    with pytest.raises(PermissionDenied):
        make_need(organiser, reference[XINAN])


def test_assigning_a_reserve_sets_the_target_village(organiser, reference):
    need = make_need(organiser, reference[QILONGSHAN])
    first, second = CandidateFactory.create_batch(2, township=reference[MINGYANG], status="filed")
    for candidate in (first, second):
        assign_reserve(actor=organiser, need_id=need.pk, candidate_id=candidate.pk)
    assert set(Candidate.objects.filter(target_village=reference[QILONGSHAN])) == {first, second}
    assert Candidate.objects.get(pk=first.pk).version == first.version + 1
    records = ReserveAssignment.objects.filter(need=need)
    assert {(r.candidate, r.assigned_by) for r in records} == {(first, organiser), (second, organiser)}
    # Assigning again changes nothing and records nothing.
    assign_reserve(actor=organiser, need_id=need.pk, candidate_id=first.pk)
    assert records.count() == 2


def test_a_closed_need_takes_no_reserves(organiser, reference):
    need = make_need(organiser, reference[QILONGSHAN])
    save_village_need(actor=organiser, need_id=need.pk, fields={"status": "withdrawn"})
    candidate = CandidateFactory(township=reference[MINGYANG], status="filed")
    with pytest.raises(ValidationError):
        assign_reserve(actor=organiser, need_id=need.pk, candidate_id=candidate.pk)


def test_other_township_cannot_see_or_assign(client, organiser, other_organiser, reference):
    need = make_need(organiser, reference[QILONGSHAN], title="明阳镇的需求")
    candidate = CandidateFactory(township=reference[MINGYANG], status="filed")
    client.force_login(other_organiser)
    assert "明阳镇的需求" not in client.get(reverse("candidates:needs")).text
    for name in ("candidates:need_detail", "candidates:need_edit"):
        assert client.get(reverse(name, args=[need.pk])).status_code == 404
    response = client.post(reverse("candidates:need_assign", args=[need.pk]), {"candidate": candidate.pk})
    assert response.status_code == 404
    with pytest.raises(VillageNeed.DoesNotExist):
        assign_reserve(actor=other_organiser, need_id=need.pk, candidate_id=candidate.pk)
    assert Candidate.objects.get(pk=candidate.pk).target_village is None


def test_assigning_a_candidate_of_another_township_answers_404(client, other_organiser, reference):
    need = make_need(other_organiser, reference[XINAN])
    foreign = CandidateFactory(township=reference[MINGYANG], status="filed")
    client.force_login(other_organiser)
    response = client.post(reverse("candidates:need_assign", args=[need.pk]), {"candidate": foreign.pk})
    assert response.status_code == 404
    assert Candidate.objects.get(pk=foreign.pk).target_village is None


def test_need_pages_create_match_and_assign(client, organiser, reference):
    client.force_login(organiser)
    response = client.post(
        reverse("candidates:need_create"),
        {
            "village": reference[QILONGSHAN].pk,
            "field": "ecommerce",
            "title": "村集体电商",
            "skills": [SkillTag.objects.get(name="电商").pk],
            "party": "preferred",
            "source_categories": ["migrant_business"],
            "priority": "high",
            "reserves_wanted": "2",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    need = VillageNeed.objects.get()
    assert need.source_category_list == ["migrant_business"]
    candidate = CandidateFactory(township=reference[MINGYANG], status="filed", name="王电商")
    candidate.skills.set(SkillTag.objects.filter(name="电商"))
    page = client.get(response["Location"])
    assert [m.candidate for m in page.context["matches"]] == [candidate]
    assert "技能匹配" in page.text
    assigned = client.post(reverse("candidates:need_assign", args=[need.pk]), {"candidate": candidate.pk})
    assert assigned.status_code == 302
    assert Candidate.objects.get(pk=candidate.pk).target_village == reference[QILONGSHAN]
    assert "确定（匹配得分" in client.get(response["Location"]).text


def test_coverage_counts_villages_by_reserves_in_pool(client, organiser, district_staff, reference):
    make_need(organiser, reference[QILONGSHAN])
    CandidateFactory.create_batch(
        2, township=reference[MINGYANG], status="in_pool", target_village=reference[QILONGSHAN]
    )
    CandidateFactory(township=reference[MINGYANG], status="filed", target_village=reference[QILONGSHAN])
    CandidateFactory(township=reference[GUANGONG], status="in_pool", target_village=reference[XINAN])
    client.force_login(district_staff)
    response = client.get(reverse("coverage"))
    rows = {row["township"].code: row for row in response.context["summary"]}
    mingyang, guangong = rows[MINGYANG], rows[GUANGONG]
    assert (mingyang["two"], mingyang["one"], mingyang["zero"], mingyang["needs"]) == (
        1,
        0,
        mingyang["villages"] - 1,
        1,
    )
    assert (guangong["two"], guangong["one"]) == (0, 1)
    assert len(rows) > 10  # district staff see every township
    client.force_login(organiser)
    response = client.get(reverse("coverage"))
    assert [row["township"].code for row in response.context["summary"]] == [MINGYANG]
    villages = {v.code: v for v in response.context["villages"]}
    assert villages[QILONGSHAN].reserves == 2
    assert villages[QILONGSHAN].open_needs == 1


def test_coverage_follows_a_confirmation(client, organiser, district_staff, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status="proposed", target_village=reference[QILONGSHAN])
    client.force_login(organiser)
    before = {v.code: v.reserves for v in client.get(reverse("coverage")).context["villages"]}
    change_status(actor=district_staff, candidate_id=candidate.pk, to_status="in_pool")
    after = {v.code: v.reserves for v in client.get(reverse("coverage")).context["villages"]}
    assert (before[QILONGSHAN], after[QILONGSHAN]) == (0, 1)


def test_organiser_cannot_open_another_townships_coverage(client, organiser, reference):
    client.force_login(organiser)
    response = client.get(reverse("coverage"), {"township": reference[GUANGONG].pk})
    # An organiser always sees their own township, whatever the query says.
    assert {v.parent_id for v in response.context["villages"]} == {reference[MINGYANG].pk}


def test_district_staff_choosing_an_unknown_township_get_404(client, district_staff, reference):
    client.force_login(district_staff)
    assert client.get(reverse("coverage"), {"township": 999999}).status_code == 404


@pytest.mark.parametrize("role", ["organiser", "district_staff"])
def test_need_pages_keep_their_query_budget(client, request, reference, role):
    organiser = request.getfixturevalue("organiser")
    client.force_login(request.getfixturevalue(role))
    need = make_need(organiser, reference[QILONGSHAN])

    def add(n):
        for _ in range(n):
            make_need(organiser, reference[QILONGSHAN])
            c = CandidateFactory(township=reference[MINGYANG], status="in_pool", target_village=reference[QILONGSHAN])
            c.skills.set(SkillTag.objects.filter(name__in=["种养殖", "电商"]))

    add(2)
    urls = [
        reverse("candidates:needs"),
        reverse("candidates:need_detail", args=[need.pk]),
        reverse("coverage") + f"?township={reference[MINGYANG].pk}",
        reverse("candidates:need_create"),
        reverse("coverage"),
        reverse("candidates:need_edit", args=[need.pk]),
    ]
    few = [_count_queries(client, url) for url in urls]
    add(10)
    many = [_count_queries(client, url) for url in urls]
    assert few == many
    assert all(n <= budget for n, budget in zip(many, NEEDS_BUDGETS[role], strict=True)), many


# needs list, need with matches, coverage of a township, need form, coverage summary, need edit form
NEEDS_BUDGETS = {"organiser": [6, 9, 6, 6, 6, 8], "district_staff": [7, 9, 7, 6, 4, 8]}

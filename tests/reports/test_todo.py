"""The to-do list of each role: what district staff and organisers are asked to do, where each item
leads, what never shows (another township's, people who left the pool), and its query budget."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services as management
from candidates import todo as candidate_todo
from candidates.models import Candidate, PoolStatus
from candidates.services import change_status
from candidates.views import files as candidate_views
from mentorship import services as cultivation
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory

# The kinds this module sets up; the others (mentoring logs, attention flags) have their own tests.
KINDS = {"pool_entry", "proposal", "secondment_ending", "review_due", "incomplete_file"}
REVIEWED = {"political": "good", "ability": "good", "style": "good", "reputation": "good"}


def _person(reference, name, township=MINGYANG, status=PoolStatus.IN_POOL, **stored) -> Candidate:
    village = reference[QILONGSHAN] if township == MINGYANG else reference[XINAN]
    candidate = CandidateFactory(township=reference[township], village=village, name=name, status=status)
    if stored:  # values the model's clean refuses today, as an import leaves them
        Candidate.objects.filter(pk=candidate.pk).update(**stored)
    return candidate


def _secondment_ending(actor, candidate, host, today):
    return cultivation.plan_secondment(
        actor=actor,
        candidate_id=candidate.pk,
        fields={
            "host_village": host,
            "mode": "part_time",
            "planned_start": today - datetime.timedelta(days=100),
            "planned_end": today + datetime.timedelta(days=10),
        },
    )


def _propose(actor, review, conclusion):
    note = "连续两年考核优秀，群众认可" if conclusion == "promote" else "本人外出务工，不再返乡"
    return management.fill_review(
        actor=actor, review_id=review.pk, fields={**REVIEWED, "conclusion": conclusion, "conclusion_note": note}
    )


def build_world(reference, district_staff, organiser, other_organiser, suffix=""):
    """One case of each kind in 明阳镇, some in 关公镇, and a person who left the pool with one of each."""
    today = timezone.localdate()
    for code in (QILONGSHAN, XINAN):
        reference[code].is_model_village = True
        reference[code].save(update_fields=["is_model_village"])
    p = {
        "proposed": _person(reference, f"明阳待审{suffix}", status=PoolStatus.PROPOSED),
        "incomplete": _person(
            reference, f"明阳缺入党时间{suffix}", status=PoolStatus.PROSPECT, political_status_id="01"
        ),
        "removal": _person(reference, f"明阳拟退{suffix}"),
        "promotion": _person(reference, f"明阳拟提{suffix}"),
        "seconded": _person(reference, f"明阳挂职{suffix}"),
        "overdue": _person(reference, f"明阳逾期{suffix}"),
        "not_due": _person(reference, f"明阳待填{suffix}"),
        "exited": _person(reference, f"明阳已退出{suffix}"),
        "promoted": _person(reference, f"明阳已提拔{suffix}", status=PoolStatus.PROMOTED, native_place=""),
        "other_proposed": _person(reference, f"关公待审{suffix}", township=GUANGONG, status=PoolStatus.PROPOSED),
        "other_incomplete": _person(reference, f"关公缺籍贯{suffix}", township=GUANGONG, native_place=""),
        "other_seconded": _person(reference, f"关公挂职{suffix}", township=GUANGONG),
    }
    late = management.open_round(
        actor=district_staff,
        name=f"上半年回头看{suffix}",
        period_start=today - datetime.timedelta(days=180),
        period_end=today - datetime.timedelta(days=30),
        due_date=today - datetime.timedelta(days=1),
        candidate_ids=[p[k].pk for k in ("removal", "promotion", "overdue", "exited")],
    )
    management.open_round(
        actor=district_staff,
        name=f"下半年回头看{suffix}",
        period_start=today - datetime.timedelta(days=29),
        period_end=today,
        due_date=today + datetime.timedelta(days=20),
        candidate_ids=[p["not_due"].pk, p["exited"].pk],
    )
    reviews = {review.candidate_id: review for review in late.reviews.all()}
    _propose(organiser, reviews[p["removal"].pk], "remove")
    _propose(organiser, reviews[p["promotion"].pk], "promote")
    _propose(organiser, reviews[p["exited"].pk], "promote")
    _secondment_ending(organiser, p["seconded"], reference[XINAN], today)
    _secondment_ending(organiser, p["exited"], reference[XINAN], today)
    _secondment_ending(other_organiser, p["other_seconded"], reference[QILONGSHAN], today)
    # Left the pool with a pending proposal, a running secondment, an open review and an
    # incomplete file, as data from before exits closed them would hold.
    Candidate.objects.filter(pk=p["exited"].pk).update(status=PoolStatus.EXITED, native_place="")
    return p


@pytest.fixture
def world(reference, district_staff, organiser, other_organiser):
    return build_world(reference, district_staff, organiser, other_organiser)


def _items(client, user):
    client.force_login(user)
    response = client.get(reverse("todo"))
    assert response.status_code == 200
    return [item for item in response.context["items"] if item.kind in KINDS]


def _seen(items) -> set[tuple[str, str]]:
    return {(item.kind, item.candidate_name) for item in items}


def test_district_staff_see_what_awaits_them_across_the_district(client, district_staff, world):
    items = _items(client, district_staff)
    assert _seen(items) == {
        ("pool_entry", "明阳待审"),
        ("pool_entry", "关公待审"),
        ("proposal", "明阳拟退"),
        ("proposal", "明阳拟提"),
        ("secondment_ending", "明阳挂职"),
        ("secondment_ending", "关公挂职"),
        ("review_due", "明阳逾期"),
    }


def test_an_organiser_sees_the_townships_own_work(client, organiser, world):
    assert _seen(_items(client, organiser)) == {
        ("incomplete_file", "明阳缺入党时间"),
        ("secondment_ending", "明阳挂职"),
        ("review_due", "明阳逾期"),
        ("review_due", "明阳待填"),
    }


def test_another_organiser_never_sees_this_townships_items(client, other_organiser, world):
    assert _seen(_items(client, other_organiser)) == {
        ("incomplete_file", "关公缺籍贯"),
        ("secondment_ending", "关公挂职"),
    }


def test_nobody_is_asked_about_people_who_left_the_pool(client, district_staff, organiser, world):
    for user in (district_staff, organiser):
        client.force_login(user)
        names = {item.candidate_name for item in client.get(reverse("todo")).context["items"]}
        assert not {"明阳已退出", "明阳已提拔"} & names, user


def test_each_item_leads_to_the_page_where_it_is_done(client, district_staff, organiser, world):
    expected = {
        ("pool_entry", "明阳待审"): reverse("candidates:funnel") + f"?proposal={world['proposed'].pk}",
        ("proposal", "明阳拟退"): reverse("assessments:decide_exit", args=[world["removal"].pk]) + "?review=",
        ("proposal", "明阳拟提"): reverse("assessments:decide_promotion", args=[world["promotion"].pk]) + "?review=",
        ("secondment_ending", "明阳挂职"): "/secondments/",
        ("review_due", "明阳逾期"): "/reviews/",
        ("incomplete_file", "明阳缺入党时间"): reverse("candidates:edit", args=[world["incomplete"].pk])
        + "#id_party_entry_date",
    }
    found = {}
    for user in (district_staff, organiser):
        for item in _items(client, user):
            key = (item.kind, item.candidate_name)
            if key in expected:
                assert expected[key] in item.url, (key, item.url)
                response = client.get(item.url)
                assert response.status_code == 200, (key, item.url)
                found[key] = response
    assert set(found) == set(expected)
    # The funnel marks the proposal the item named; the decision page shows the review's proposal.
    assert f'id="proposal-{world["proposed"].pk}"' in found[("pool_entry", "明阳待审")].text
    assert 'data-testid="proposal"' in found[("proposal", "明阳拟退")].text
    assert "本人外出务工" in found[("proposal", "明阳拟退")].text


def test_district_staff_see_reviews_only_once_overdue(client, district_staff, world):
    assert "明阳待填" not in {item.candidate_name for item in _items(client, district_staff)}


def test_a_pool_entry_leaves_the_list_once_decided(client, district_staff, world):
    change_status(actor=district_staff, candidate_id=world["proposed"].pk, to_status=PoolStatus.IN_POOL)
    change_status(
        actor=district_staff, candidate_id=world["other_proposed"].pk, to_status=PoolStatus.FILED, reason="材料不全"
    )
    assert "pool_entry" not in {item.kind for item in _items(client, district_staff)}


def test_a_pool_entry_tells_the_decider_what_the_file_lacks(client, district_staff, world):
    Candidate.objects.filter(pk=world["proposed"].pk).update(political_status_id="02", party_entry_date=None)
    item = next(i for i in _items(client, district_staff) if i.candidate_name == "明阳待审")
    assert "资料不完整，缺少：入党时间" in item.message


def test_the_funnel_shows_the_proposal_the_item_names_beyond_its_first_page(client, district_staff, world, monkeypatch):
    monkeypatch.setattr(candidate_views, "PAGE_SIZE", 1)
    client.force_login(district_staff)
    url = reverse("candidates:funnel")
    shown = client.get(url).context["proposals"]
    other = next(p for p in (world["proposed"], world["other_proposed"]) if p.pk != shown[0].pk)
    response = client.get(url, {"proposal": other.pk})
    assert [p.pk for p in response.context["proposals"]] == [other.pk, shown[0].pk]
    assert client.get(url, {"proposal": "x²"}).status_code == 200


def test_past_the_cap_an_item_leads_to_the_filtered_list(client, organiser, reference, monkeypatch):
    monkeypatch.setattr(candidate_todo, "ITEMS_PER_KIND", 2)
    for n in range(3):
        _person(reference, f"缺籍贯{n}", status=PoolStatus.FILED, native_place="")
    items = [item for item in _items(client, organiser) if item.kind == "incomplete_file"]
    assert [item.candidate_name for item in items] == ["", "缺籍贯0", "缺籍贯1"]
    assert items[0].url == reverse("candidates:list") + "?incomplete=yes"
    assert len(client.get(items[0].url).context["object_list"]) == 3


# --- the query budget ---------------------------------------------------------------------------

# Session ×2 and user, then one query per provider that has items for the role, and four for the
# attention flags. Organisers: incomplete files, mentoring, secondments, plan, reviews. District
# staff: pool entries, mentoring, secondments, secondment lengths to approve, plan, reviews, proposals.
BUDGETS = {"organiser": 12, "district_staff": 14}


def _count(client, user) -> int:
    client.force_login(user)
    client.get(reverse("todo"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("todo")).status_code == 200
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def test_the_todo_page_keeps_its_budget_as_the_world_grows(
    client, reference, district_staff, organiser, other_organiser, world
):
    few = {role: _count(client, user) for role, user in (("organiser", organiser), ("district_staff", district_staff))}
    for n in range(1, 4):
        build_world(reference, district_staff, organiser, other_organiser, suffix=str(n))
    many = {role: _count(client, user) for role, user in (("organiser", organiser), ("district_staff", district_staff))}
    assert few == many == BUDGETS

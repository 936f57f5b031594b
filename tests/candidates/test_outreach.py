"""Contact log (S3) and policy list with delivery and uptake (S4)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import Contact, ContactKind, PolicyDelivery, PolicyItem, PoolStatus, Uptake
from candidates.services import record_contact, record_uptake
from tests.conftest import DISTRICT, GUANGONG, MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory, PolicyItemFactory
from tests.site.test_query_budget import DETAIL_BUDGET, _count_queries

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def policies(reference):
    return {
        "district": PolicyItemFactory(unit=reference[DISTRICT], title="返乡任职补贴"),
        "loan": PolicyItemFactory(
            unit=reference[DISTRICT], title="创业贴息贷款", category="business_loan", amount="最高 30 万元"
        ),
        "mingyang": PolicyItemFactory(unit=reference[MINGYANG], title="明阳镇产业项目扶持", category="project_support"),
        "guangong": PolicyItemFactory(unit=reference[GUANGONG], title="关公镇专项", category="project_support"),
        "expired": PolicyItemFactory(unit=reference[DISTRICT], title="已过期政策", valid_to=datetime.date(2025, 6, 30)),
    }


def talk(**overrides):
    fields = {
        "kind": ContactKind.TALK,
        "date": TODAY,
        "place": "骑龙山村委会",
        "attendees": "组织委员 王强",
        "discussed": "介绍返乡任职政策，了解本人意愿",
        "outcome": "有返乡意愿",
        "next_step": "一周后再次恳谈",
        "next_step_date": TODAY + datetime.timedelta(days=7),
    }
    fields.update(overrides)
    return fields


def test_a_talk_with_a_prospect_moves_them_to_contacted(organiser, reference, policies):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    contact = record_contact(
        actor=organiser,
        candidate_ids=[candidate.pk],
        fields=talk(),
        policy_ids=[policies["district"].pk, policies["mingyang"].pk],
    )
    candidate.refresh_from_db()
    assert candidate.status == PoolStatus.CONTACTED
    assert "面对面恳谈" in candidate.events.first().reason
    assert contact.township == reference[MINGYANG]
    handed = PolicyDelivery.objects.filter(candidate=candidate)
    assert {d.policy.title for d in handed} == {"返乡任职补贴", "明阳镇产业项目扶持"}
    assert {d.contact for d in handed} == {contact}


def test_a_meeting_meets_several_and_hands_the_list_to_each(organiser, reference, policies):
    people = CandidateFactory.create_batch(3, township=reference[MINGYANG], status=PoolStatus.WILLING)
    contact = record_contact(
        actor=organiser,
        candidate_ids=[p.pk for p in people],
        fields=talk(kind=ContactKind.MEETING, place="明阳镇乡友恳谈会"),
        policy_ids=[policies["loan"].pk],
    )
    assert contact.candidates.count() == 3
    assert PolicyDelivery.objects.filter(contact=contact).count() == 3
    # Handing the same item again later records no second delivery.
    record_contact(actor=organiser, candidate_ids=[people[0].pk], fields=talk(), policy_ids=[policies["loan"].pk])
    assert PolicyDelivery.objects.filter(candidate=people[0]).count() == 1


def test_a_talk_meets_exactly_one_person(organiser, reference):
    people = CandidateFactory.create_batch(2, township=reference[MINGYANG])
    with pytest.raises(ValidationError) as info:
        record_contact(actor=organiser, candidate_ids=[p.pk for p in people], fields=talk())
    assert "只能" in " ".join(info.value.messages)
    assert not Contact.objects.exists()


def test_candidates_of_another_township_cannot_be_logged(organiser, reference, guangong_candidate):
    with pytest.raises(ValidationError):
        record_contact(actor=organiser, candidate_ids=[guangong_candidate.pk], fields=talk())
    assert not Contact.objects.exists()


def test_district_staff_cannot_mix_townships_in_one_meeting(district_staff, mingyang_candidate, guangong_candidate):
    with pytest.raises(ValidationError):
        record_contact(
            actor=district_staff,
            candidate_ids=[mingyang_candidate.pk, guangong_candidate.pk],
            fields=talk(kind=ContactKind.MEETING),
        )


def test_policies_must_apply_in_the_township_and_be_in_force(organiser, reference, policies):
    candidate = CandidateFactory(township=reference[MINGYANG])
    for key in ("guangong", "expired"):
        with pytest.raises(ValidationError):
            record_contact(actor=organiser, candidate_ids=[candidate.pk], fields=talk(), policy_ids=[policies[key].pk])
    assert not PolicyDelivery.objects.exists()


def test_contact_dates_are_checked(organiser, reference):
    candidate = CandidateFactory(township=reference[MINGYANG])
    with pytest.raises(ValidationError):
        record_contact(
            actor=organiser, candidate_ids=[candidate.pk], fields=talk(date=TODAY + datetime.timedelta(days=1))
        )
    with pytest.raises(ValidationError):
        record_contact(
            actor=organiser,
            candidate_ids=[candidate.pk],
            fields=talk(next_step_date=TODAY - datetime.timedelta(days=1)),
        )


def _delivered(organiser, reference, policies):
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    record_contact(actor=organiser, candidate_ids=[candidate.pk], fields=talk(), policy_ids=[policies["loan"].pk])
    return PolicyDelivery.objects.get(candidate=candidate)


def test_uptake_records_an_amount_only_when_granted(organiser, reference, policies):
    delivery = _delivered(organiser, reference, policies)
    record_uptake(actor=organiser, delivery_id=delivery.pk, uptake=Uptake.APPLIED, amount_granted=Decimal("5"))
    delivery.refresh_from_db()
    assert (delivery.uptake, delivery.amount_granted) == ("applied", None)
    record_uptake(actor=organiser, delivery_id=delivery.pk, uptake=Uptake.GRANTED, amount_granted=Decimal("300000"))
    delivery.refresh_from_db()
    assert (delivery.uptake, delivery.amount_granted) == ("granted", Decimal("300000.00"))
    assert delivery.uptake_recorded_by == organiser
    with pytest.raises(ValidationError):
        record_uptake(actor=organiser, delivery_id=delivery.pk, uptake=Uptake.GRANTED, amount_granted=Decimal("-1"))


def test_other_township_cannot_record_uptake(client, organiser, other_organiser, reference, policies):
    delivery = _delivered(organiser, reference, policies)
    client.force_login(other_organiser)
    response = client.post(reverse("candidates:delivery_uptake", args=[delivery.pk]), {"uptake": "granted"})
    assert response.status_code == 404
    with pytest.raises(PolicyDelivery.DoesNotExist):
        record_uptake(actor=other_organiser, delivery_id=delivery.pk, uptake=Uptake.GRANTED)


def test_contact_page_logs_a_talk_and_returns_to_the_file(client, organiser, reference, policies):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    client.force_login(organiser)
    page = client.get(reverse("candidates:contact_create"), {"candidate": candidate.pk})
    assert page.status_code == 200
    assert "关公镇专项" not in page.text and "已过期政策" not in page.text
    data = {**talk(), "candidates": [candidate.pk], "policies": [policies["district"].pk]}
    data["next_step_date"] = data["next_step_date"].isoformat()
    data["date"] = data["date"].isoformat()
    response = client.post(reverse("candidates:contact_create"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("candidate_file", args=[candidate.pk])
    detail = client.get(response["Location"]).text
    assert "介绍返乡任职政策" in detail and "返乡任职补贴" in detail


def test_policy_list_shows_the_township_items_in_force(client, organiser, other_organiser, reference, policies):
    client.force_login(organiser)
    response = client.get(reverse("candidates:policies"))
    titles = {item.title for item in response.context["items"]}
    assert titles == {"返乡任职补贴", "创业贴息贷款", "明阳镇产业项目扶持"}
    assert 'media="print"' in response.text and "data-print" in response.text


def test_district_staff_choose_a_township_for_the_policy_list(client, district_staff, reference, policies):
    client.force_login(district_staff)
    response = client.get(reverse("candidates:policies"), {"township": reference[GUANGONG].pk})
    assert {item.title for item in response.context["items"]} == {"返乡任职补贴", "创业贴息贷款", "关公镇专项"}


def test_organiser_cannot_choose_another_township_list(client, organiser, reference, policies):
    client.force_login(organiser)
    response = client.get(reverse("candidates:policies"), {"township": reference[GUANGONG].pk})
    assert "关公镇专项" not in response.text


def test_uptake_summary_counts_and_sums_within_scope(
    client, organiser, other_organiser, district_staff, reference, policies
):
    delivery = _delivered(organiser, reference, policies)
    record_uptake(actor=organiser, delivery_id=delivery.pk, uptake=Uptake.GRANTED, amount_granted=Decimal("1000"))
    other = CandidateFactory(township=reference[GUANGONG])
    record_contact(actor=other_organiser, candidate_ids=[other.pk], fields=talk(), policy_ids=[policies["loan"].pk])
    client.force_login(organiser)
    response = client.get(reverse("candidates:policy_uptake"))
    rows = list(response.context["rows"])
    assert [(r["policy__title"], r["total"], r["n_granted"], r["granted_sum"]) for r in rows] == [
        ("创业贴息贷款", 1, 1, Decimal("1000.00"))
    ]
    client.force_login(other_organiser)
    rows = list(client.get(reverse("candidates:policy_uptake")).context["rows"])
    assert [(r["total"], r["n_handed"], r["granted_sum"]) for r in rows] == [(1, 1, None)]
    client.force_login(district_staff)
    everything = list(client.get(reverse("candidates:policy_uptake")).context["rows"])
    assert [r["total"] for r in everything] == [2]
    one = client.get(reverse("candidates:policy_uptake"), {"township": reference[GUANGONG].pk}).context["rows"]
    assert [(r["total"], r["n_granted"]) for r in one] == [(1, 0)]


def test_contact_log_is_scoped(client, organiser, other_organiser, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], name="张明阳")
    record_contact(actor=organiser, candidate_ids=[candidate.pk], fields=talk())
    client.force_login(other_organiser)
    response = client.get(reverse("candidates:contacts"))
    assert "张明阳" not in response.text
    assert client.get(reverse("candidates:contact_create"), {"candidate": candidate.pk}).status_code == 404
    client.force_login(organiser)
    assert "张明阳" in client.get(reverse("candidates:contacts")).text


# contacts, policy list, uptake summary, candidate detail, contact form, contact correction
# The candidate page carries every app's panel; its budget lives with the others in test_query_budget.
OUTREACH_BUDGETS = {
    "organiser": [6, 4, 5, DETAIL_BUDGET, 5, 5],
    "district_staff": [6, 5, 6, DETAIL_BUDGET, 5, 5],
}


@pytest.mark.parametrize("role", ["organiser", "district_staff"])
def test_outreach_pages_keep_their_query_budget(client, request, reference, policies, role):
    organiser = request.getfixturevalue("organiser")
    client.force_login(request.getfixturevalue(role))

    def add(n):
        people = CandidateFactory.create_batch(n, township=reference[MINGYANG])
        for person in people:
            record_contact(
                actor=organiser,
                candidate_ids=[person.pk],
                fields=talk(),
                policy_ids=[policies["loan"].pk, policies["district"].pk],
            )
        record_contact(actor=organiser, candidate_ids=[p.pk for p in people], fields=talk(kind="meeting"))
        return people

    first = add(2)
    urls = [
        reverse("candidates:contacts"),
        reverse("candidates:policies"),
        reverse("candidates:policy_uptake"),
        reverse("candidate_file", args=[first[0].pk]),
        reverse("candidates:contact_create"),
        reverse("candidates:contact_correct", args=[Contact.objects.filter(kind="meeting").get().pk]),
    ]
    for url in urls:
        client.get(url)  # warm the cached code tables and drop-downs
    few = [_count_queries(client, url) for url in urls]
    add(8)
    many = [_count_queries(client, url) for url in urls]
    assert few == many
    assert all(n <= budget for n, budget in zip(many, OUTREACH_BUDGETS[role], strict=True))


def test_contacts_and_policy_items_are_on_the_candidate_timeline(client, organiser, reference, policies):
    candidate = CandidateFactory(township=reference[MINGYANG], name="时间线甲", status=PoolStatus.PROSPECT)
    record_contact(actor=organiser, candidate_ids=[candidate.pk], fields=talk(), policy_ids=[policies["district"].pk])
    client.force_login(organiser)
    response = client.get(reverse("candidate_file", args=[candidate.pk]))
    kinds = [entry.kind for entry in response.context["timeline"]]
    assert "contact" in kinds and "policy" in kinds
    only = client.get(reverse("candidate_file", args=[candidate.pk]), {"kind": "policy"})
    assert [entry.title for entry in only.context["timeline"]] == ["发放政策：返乡任职补贴（已送达）"]


def test_contact_log_export_is_the_scoped_filtered_list(client, organiser, other_organiser, reference, policies):
    import io

    from openpyxl import load_workbook

    people = CandidateFactory.create_batch(2, township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    record_contact(actor=organiser, candidate_ids=[people[0].pk], fields=talk(discussed="=SUM(1)"))
    record_contact(actor=organiser, candidate_ids=[people[1].pk], fields=talk(kind=ContactKind.VISIT))
    client.force_login(organiser)
    response = client.get(reverse("candidates:contacts"), {"kind": ContactKind.TALK, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 1 and rows[0][6] == "=SUM(1)"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    client.force_login(other_organiser)
    other = load_workbook(io.BytesIO(client.get(reverse("candidates:contacts"), {"export": "xlsx"}).content)).active
    assert other.max_row == 3


def test_system_admin_keeps_the_policy_list_and_vocabulary_in_the_admin(client, system_admin, organiser, reference):
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:candidates_policyitem_add"),
        {
            "unit": reference[DISTRICT].pk,
            "category": "training",
            "title": "电商技能培训补贴",
            "amount": "每人 1500 元",
            "issuing_body": "恩阳区人社局",
            "valid_from": "2026-01-01",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors
    assert PolicyItem.objects.filter(title="电商技能培训补贴").exists()
    assert client.get(reverse("admin:candidates_skilltag_changelist")).status_code == 200
    client.force_login(organiser)
    assert client.get(reverse("admin:candidates_policyitem_add")).status_code == 403


def test_meeting_page_logs_several_people_and_explains_a_mixed_choice(client, district_staff, reference, policies):
    mine = CandidateFactory.create_batch(2, township=reference[MINGYANG], status=PoolStatus.WILLING)
    other = CandidateFactory(township=reference[GUANGONG], status=PoolStatus.WILLING)
    client.force_login(district_staff)
    data = {**talk(kind="meeting", place="明阳镇乡友恳谈会"), "policies": [policies["loan"].pk]}
    data.update(date=data["date"].isoformat(), next_step_date=data["next_step_date"].isoformat())
    mixed = client.post(reverse("candidates:contact_create"), {**data, "candidates": [mine[0].pk, other.pk]})
    assert mixed.status_code == 200
    assert "同一个乡镇" in mixed.text
    assert not Contact.objects.exists()
    response = client.post(reverse("candidates:contact_create"), {**data, "candidates": [c.pk for c in mine]})
    assert response.status_code == 302 and response["Location"] == reverse("candidates:contacts")
    contact = Contact.objects.get()
    assert set(contact.candidates.all()) == set(mine)
    assert PolicyDelivery.objects.filter(contact=contact).count() == 2
    listing = client.get(reverse("candidates:contacts"), {"kind": "meeting"}).text
    assert "明阳镇乡友恳谈会" in listing and all(c.name in listing for c in mine)


def test_a_contact_can_be_corrected_but_not_its_people(client, organiser, other_organiser, reference):
    from candidates.services import correct_contact

    person = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.WILLING)
    contact = record_contact(actor=organiser, candidate_ids=[person.pk], fields=talk(next_step="", next_step_date=None))
    corrected = correct_contact(
        actor=organiser,
        contact_id=contact.pk,
        fields={"place": "村党群服务中心", "next_step": "下月再谈", "kind": "visit", "candidates": []},
    )
    assert (corrected.place, corrected.next_step, corrected.kind) == ("村党群服务中心", "下月再谈", "talk")
    assert list(corrected.candidates.all()) == [person]
    with pytest.raises(ValidationError):
        correct_contact(actor=organiser, contact_id=contact.pk, fields={"date": TODAY + datetime.timedelta(days=3)})
    with pytest.raises(Contact.DoesNotExist):
        correct_contact(actor=other_organiser, contact_id=contact.pk, fields={"place": "x"})
    client.force_login(other_organiser)
    assert client.get(reverse("candidates:contact_correct", args=[contact.pk])).status_code == 404
    client.force_login(organiser)
    page = client.get(reverse("candidates:contact_correct", args=[contact.pk]))
    assert page.status_code == 200 and "村党群服务中心" in page.text
    data = {
        "date": TODAY.isoformat(),
        "place": "村委会",
        "attendees": "王强",
        "discussed": "更正后的内容",
        "outcome": "",
        "next_step": "",
        "next_step_date": "",
    }
    response = client.post(reverse("candidates:contact_correct", args=[contact.pk]), data)
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).discussed == "更正后的内容"

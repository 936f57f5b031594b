"""Management and use: assessments with evidence, look-back rounds, decisions, suggestions, figures."""

import datetime
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.flags import flags_for
from assessments.models import Assessment, Decision, Evidence, Review
from candidates.models import Candidate, PoolStatus
from candidates.services import change_status
from mentorship import services as cultivation
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory
from tests.site.test_query_budget import DETAIL_BUDGET

TODAY = datetime.date.today()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
GOOD = {
    "political": "good",
    "ability": "good",
    "style": "excellent",
    "reputation": "good",
    "conclusion": "keep",
}


@pytest.fixture
def pool(reference, district_staff):
    return {
        "mingyang": CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="甲明阳"),
        "mingyang2": CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="乙明阳"),
        "guangong": CandidateFactory(township=reference[GUANGONG], village=reference[XINAN], name="丙关公"),
    }


def _round(district_staff, **extra):
    return services.open_round(
        actor=district_staff,
        name="2026年度回头看",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        due_date=TODAY + datetime.timedelta(days=20),
        **extra,
    )


# --- assessments and evidence -------------------------------------------------------------------


def test_assessment_with_evidence_is_stored_privately_and_served_in_scope(
    client, organiser, other_organiser, pool, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    report = SimpleUploadedFile("总结.pdf", PDF, content_type="application/pdf")
    assessment = services.record_assessment(
        actor=organiser,
        candidate_id=pool["mingyang"].pk,
        fields={"kind": "emergency", "date": TODAY, "description": "暴雨中组织转移群众", "rating": "excellent"},
        files=[photo, report],
    )
    evidence = list(assessment.evidence.order_by("pk"))
    assert [e.content_type for e in evidence] == ["image/png", "application/pdf"]
    assert all(str(tmp_path) in e.file.path and "现场" not in e.file.name for e in evidence)
    client.force_login(organiser)
    response = client.get(reverse("assessments:evidence", args=[evidence[0].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    client.force_login(other_organiser)
    assert client.get(reverse("assessments:evidence", args=[evidence[0].pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.png", b"", "为空"),
        ("renamed.pdf", b"MZ\x90\x00 this is an executable", "不是 JPEG"),
        ("script.png", b"<script>alert(1)</script>", "不是 JPEG"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_written(organiser, pool, settings, tmp_path, name, content, message):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as info:
        services.record_assessment(
            actor=organiser,
            candidate_id=pool["mingyang"].pk,
            fields={"kind": "mediation", "date": TODAY, "description": "调解", "rating": "good"},
            files=[SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile(name, content)],
        )
    assert message in " ".join(info.value.messages)
    assert not Assessment.objects.exists() and not Evidence.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_oversized_evidence_is_refused(organiser, pool, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError):
        services.record_assessment(
            actor=organiser,
            candidate_id=pool["mingyang"].pk,
            fields={"kind": "mediation", "date": TODAY, "description": "调解", "rating": "good"},
            files=[SimpleUploadedFile("big.png", PNG + b"\x00" * 200)],
        )
    assert not Assessment.objects.exists()


def test_assessment_page_uploads_evidence(client, organiser, pool, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(organiser)
    response = client.post(
        reverse("assessments:assessment_create", args=[pool["mingyang"].pk]),
        {
            "kind": "industry",
            "date": TODAY.isoformat(),
            "rating": "good",
            "description": "牵头成立花椒合作社",
            "evidence": [io.BytesIO(PNG), io.BytesIO(PDF)],
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == 2


# --- rounds -------------------------------------------------------------------------------------


def test_round_lifecycle_open_fill_close_locks(organiser, district_staff, pool, reference):
    review_round = _round(district_staff)
    assert review_round.reviews.count() == 3
    review = review_round.reviews.get(candidate=pool["mingyang"])
    services.fill_review(actor=organiser, review_id=review.pk, fields=GOOD)
    review.refresh_from_db()
    assert review.is_done and review.proposal_status == ""
    services.close_round(actor=district_staff, round_id=review_round.pk)
    with pytest.raises(ValidationError) as info:
        services.fill_review(actor=organiser, review_id=review.pk, fields={**GOOD, "style": "poor"})
    assert info.value.code == "round_closed"
    review.refresh_from_db()
    assert review.style == "excellent"


def test_a_candidate_entering_the_pool_after_opening_is_not_in_the_round_unless_added(
    district_staff, organiser, pool, reference
):
    review_round = _round(district_staff)
    late = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROPOSED)
    change_status(actor=district_staff, candidate_id=late.pk, to_status=PoolStatus.IN_POOL)
    assert not review_round.reviews.filter(candidate=late).exists()
    assert services.add_to_round(actor=district_staff, round_id=review_round.pk, candidate_ids=[late.pk]) == 1
    assert services.add_to_round(actor=district_staff, round_id=review_round.pk, candidate_ids=[late.pk]) == 0
    assert review_round.reviews.filter(candidate=late).exists()


def test_only_district_staff_open_and_close_rounds(organiser, district_staff, pool):
    with pytest.raises(PermissionDenied):
        _round(organiser)
    review_round = _round(district_staff)
    with pytest.raises(PermissionDenied):
        services.close_round(actor=organiser, round_id=review_round.pk)


def test_a_review_needs_every_dimension_and_reasons_for_removal(organiser, district_staff, pool):
    review = _round(district_staff).reviews.get(candidate=pool["mingyang"])
    with pytest.raises(ValidationError) as info:
        services.fill_review(actor=organiser, review_id=review.pk, fields={**GOOD, "ability": ""})
    assert "ability" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.fill_review(actor=organiser, review_id=review.pk, fields={**GOOD, "conclusion": "remove"})
    assert "conclusion_note" in info.value.message_dict


def test_organiser_cannot_fill_another_townships_review(client, organiser, district_staff, pool):
    review = _round(district_staff).reviews.get(candidate=pool["guangong"])
    with pytest.raises(Review.DoesNotExist):
        services.fill_review(actor=organiser, review_id=review.pk, fields=GOOD)
    client.force_login(organiser)
    assert client.get(reverse("assessments:review", args=[review.pk])).status_code == 404


# --- decisions ----------------------------------------------------------------------------------


def test_only_district_staff_decide(organiser, pool):
    with pytest.raises(PermissionDenied):
        services.decide_exit(actor=organiser, candidate_id=pool["mingyang"].pk, exit_reason="own_wish", note="外出")


def test_exit_records_reason_event_and_answers_the_proposal(organiser, district_staff, pool):
    review = _round(district_staff).reviews.get(candidate=pool["mingyang"])
    services.fill_review(
        actor=organiser,
        review_id=review.pk,
        fields={**GOOD, "ability": "poor", "conclusion": "remove", "conclusion_note": "长期在外，无法履职"},
    )
    decision = services.decide_exit(
        actor=district_staff,
        candidate_id=pool["mingyang"].pk,
        exit_reason="moved",
        note="已迁居成都",
        review_id=review.pk,
    )
    candidate = Candidate.objects.get(pk=pool["mingyang"].pk)
    assert candidate.status == PoolStatus.EXITED
    assert decision.pool_event.to_status == PoolStatus.EXITED
    assert "迁出或长期外出" in decision.pool_event.reason
    review.refresh_from_db()
    assert review.proposal_status == Review.ProposalStatus.ACCEPTED


def test_deciding_twice_is_refused(district_staff, pool, reference):
    services.decide_promotion(
        actor=district_staff, candidate_id=pool["mingyang"].pk, post="village_secretary", village=reference[QILONGSHAN]
    )
    with pytest.raises(ValidationError) as info:
        services.decide_exit(actor=district_staff, candidate_id=pool["mingyang"].pk, exit_reason="age", note="超龄")
    assert info.value.code == "already_decided"
    assert Decision.objects.count() == 1


def test_an_exited_person_may_re_enter_with_history_kept(organiser, district_staff, pool):
    services.decide_exit(
        actor=district_staff, candidate_id=pool["mingyang"].pk, exit_reason="own_wish", note="外出务工"
    )
    change_status(actor=organiser, candidate_id=pool["mingyang"].pk, to_status=PoolStatus.PROSPECT, reason="返乡")
    candidate = Candidate.objects.get(pk=pool["mingyang"].pk)
    assert candidate.status == PoolStatus.PROSPECT
    assert candidate.decisions.count() == 1
    assert list(candidate.events.values_list("to_status", flat=True)[:2]) == ["prospect", "exited"]


def test_promotion_needs_a_named_post_when_other(client, district_staff, pool, reference):
    client.force_login(district_staff)
    url = reverse("assessments:decide_promotion", args=[pool["mingyang"].pk])
    response = client.post(
        url, {"post": "other", "village": reference[QILONGSHAN].pk, "effective_date": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert Candidate.objects.get(pk=pool["mingyang"].pk).status == PoolStatus.IN_POOL


def test_declining_keeps_the_candidate_in_the_pool(organiser, district_staff, pool):
    review = _round(district_staff).reviews.get(candidate=pool["mingyang"])
    services.fill_review(
        actor=organiser, review_id=review.pk, fields={**GOOD, "conclusion": "promote", "conclusion_note": "表现突出"}
    )
    services.decline_proposal(actor=district_staff, review_id=review.pk, note="再锻炼一年")
    review.refresh_from_db()
    assert review.proposal_status == Review.ProposalStatus.DECLINED
    assert Candidate.objects.get(pk=pool["mingyang"].pk).status == PoolStatus.IN_POOL


@pytest.mark.postgres
@pytest.mark.reliability
@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_give_exactly_one(reference, district_staff, reliability):
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    barrier = threading.Barrier(4)
    outcomes = []

    def decide(kind):
        try:
            barrier.wait()
            if kind == "exit":
                services.decide_exit(actor=district_staff, candidate_id=candidate.pk, exit_reason="age", note="并发")
            else:
                services.decide_promotion(
                    actor=district_staff,
                    candidate_id=candidate.pk,
                    post="village_secretary",
                    village=reference[QILONGSHAN],
                )
            outcomes.append("decided")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(kind,)) for kind in ["exit", "promotion"] * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    decisions = Decision.objects.filter(candidate=candidate).count()
    reliability(
        "decisions: exit and promotion × 2 at once",
        tried=len(outcomes),
        succeeded=outcomes.count("decided"),
        refused=outcomes.count("refused"),
        lost=abs(decisions - outcomes.count("decided")),
    )
    assert sorted(outcomes) == ["decided", "refused", "refused", "refused"]
    assert decisions == 1
    assert candidate.events.filter(to_status__in=["promoted", "exited"]).count() == 1


# --- suggestions --------------------------------------------------------------------------------


def _rules(candidate, day=TODAY):
    return {flag.rule for flag in flags_for(Candidate.objects.filter(pk=candidate.pk), day).get(candidate.pk, [])}


def test_over_age_flag(reference, district_staff):
    old = CandidateFactory(township=reference[MINGYANG], age=46)
    young = CandidateFactory(township=reference[MINGYANG], age=45)
    assert "age" in _rules(old)
    assert "age" not in _rules(young)


def test_two_consecutive_poor_reviews_flag(organiser, district_staff, pool):
    person = pool["mingyang"]
    for year, style in [(2025, "poor"), (2026, "poor")]:
        review_round = services.open_round(
            actor=district_staff,
            name=f"{year}",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            due_date=TODAY,
            candidate_ids=[person.pk],
        )
        services.fill_review(actor=organiser, review_id=review_round.reviews.get().pk, fields={**GOOD, "style": style})
        if year == 2025:
            assert "reviews" not in _rules(person)
    assert "reviews" in _rules(person)


def test_poor_then_good_review_raises_no_flag(organiser, district_staff, pool):
    person = pool["mingyang"]
    for year, style in [(2025, "poor"), (2026, "good")]:
        review_round = services.open_round(
            actor=district_staff,
            name=f"{year}",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            due_date=TODAY,
            candidate_ids=[person.pk],
        )
        services.fill_review(actor=organiser, review_id=review_round.reviews.get().pk, fields={**GOOD, "style": style})
    assert "reviews" not in _rules(person)


def test_no_mentoring_log_flag(organiser, pool, reference, settings):
    settings.MENTORING_LOG_MAX_DAYS = 60
    person = pool["mingyang"]
    cultivation.record_mentoring_log(
        actor=organiser,
        candidate_id=person.pk,
        fields={"date": TODAY - datetime.timedelta(days=61), "kind": "speaking", "content": "练口才"},
    )
    assert "mentoring" in _rules(person)
    cultivation.record_mentoring_log(
        actor=organiser, candidate_id=person.pk, fields={"date": TODAY, "kind": "speaking", "content": "练口才"}
    )
    assert "mentoring" not in _rules(person)


def test_weak_assessments_flag(organiser, pool):
    person = pool["mingyang"]

    def assess(rating, days_ago):
        services.record_assessment(
            actor=organiser,
            candidate_id=person.pk,
            fields={
                "kind": "mass_work",
                "date": TODAY - datetime.timedelta(days=days_ago),
                "description": "走访",
                "rating": rating,
            },
        )

    assess("fair", 30)
    assess("poor", 200)
    assess("excellent", 400)  # more than a year ago: does not count
    assert "assessments" in _rules(person)
    assess("good", 10)
    assert "assessments" not in _rules(person)


# --- pages: scoping, budgets, figures -------------------------------------------------------------


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    # As tests/site/test_query_budget.py counts: savepoints and SET LOCAL are bookkeeping, not work.
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"] and not q["sql"].startswith("SET LOCAL"))


def test_round_pages_scope_reviews_to_the_township(client, organiser, district_staff, pool):
    review_round = _round(district_staff)
    client.force_login(organiser)
    page = client.get(reverse("assessments:round", args=[review_round.pk]))
    assert "甲明阳" in page.text and "丙关公" not in page.text
    report = client.get(reverse("assessments:round_report", args=[review_round.pk]))
    assert report.context["totals"]["total"] == 2
    assert client.get(reverse("assessments:proposals")).status_code == 403


def test_round_and_report_budgets_do_not_grow(client, district_staff, organiser, reference, pool):
    review_round = _round(district_staff)
    client.force_login(district_staff)
    urls = [
        reverse("assessments:round", args=[review_round.pk]),
        reverse("assessments:round_report", args=[review_round.pk]),
        reverse("assessments:rounds"),
        reverse("pool_figures"),
        reverse("assessments:proposals"),
    ]
    few = [_queries(client, url) for url in urls]
    extra = CandidateFactory.create_batch(15, township=reference[MINGYANG])
    services.add_to_round(actor=district_staff, round_id=review_round.pk, candidate_ids=[c.pk for c in extra])
    for review in review_round.reviews.all()[:10]:
        services.fill_review(
            actor=organiser if review.candidate.township_id == reference[MINGYANG].pk else district_staff,
            review_id=review.pk,
            fields={**GOOD, "conclusion": "promote", "conclusion_note": "优秀"},
        )
    many = [_queries(client, url) for url in urls]
    assert few == many
    # The round page: session ×2, user, round, reviews, progress, four flag queries, addable candidates.
    assert max(many) <= 12


def test_candidate_page_budget_with_management_records(client, district_staff, organiser, pool):
    client.force_login(district_staff)
    url = reverse("candidate_file", args=[pool["mingyang"].pk])
    services.record_assessment(
        actor=organiser,
        candidate_id=pool["mingyang"].pk,
        fields={"kind": "industry", "date": TODAY, "description": "产业", "rating": "good"},
    )
    client.get(url)  # warm the cached code tables
    few = _queries(client, url)
    for rating in ["good", "fair", "excellent"]:
        services.record_assessment(
            actor=organiser,
            candidate_id=pool["mingyang"].pk,
            fields={"kind": "industry", "date": TODAY, "description": "产业", "rating": rating},
        )
    # One more than the plain page: the evidence of the assessments is prefetched.
    assert _queries(client, url) == few <= DETAIL_BUDGET + 1


def test_figures_count_the_pool_and_decisions_in_the_period(client, district_staff, pool, reference):
    from django.utils import timezone

    from candidates.models import PoolEvent

    PoolEvent.objects.update(created_at=timezone.now() - datetime.timedelta(days=10))
    services.decide_promotion(
        actor=district_staff, candidate_id=pool["mingyang"].pk, post="village_secretary", village=reference[QILONGSHAN]
    )
    services.decide_exit(actor=district_staff, candidate_id=pool["guangong"].pk, exit_reason="ability", note="能力不足")
    client.force_login(district_staff)
    response = client.get(reverse("pool_figures"))
    totals = response.context["totals"]
    assert (totals["in_pool"], totals["promoted"], totals["exited"]) == (1, 1, 1)
    reasons = dict(zip([r.value for r in Decision.ExitReason], totals["reasons"], strict=True))
    assert reasons["ability"] == 1
    earlier = client.get(
        reverse("pool_figures"), {"start": "2020-01-01", "end": (TODAY - datetime.timedelta(days=2)).isoformat()}
    )
    assert (earlier.context["totals"]["promoted"], earlier.context["totals"]["in_pool"]) == (0, 3)


def test_decision_pages_are_for_district_staff_only(client, organiser, leader, pool):
    for user in (organiser, leader):
        client.force_login(user)
        assert client.get(reverse("assessments:decide_exit", args=[pool["mingyang"].pk])).status_code == 403

"""No lost updates (S16): concurrent edits of one information file.

Threads with a barrier call `update_candidate` from the same version at the same moment: exactly
one wins, the others are refused with `StaleEditError`, and the row holds exactly the winner's
change. Then rounds of retries until every change has landed. Then the same through the edit page
with two browsers' worth of clients: the stale save shows the other person's change beside one's own.
The decision tests (one decision of several taken at once) stay in test_assessments.py.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cadre_pool.models import AuditAction, AuditEvent, Role
from candidates.models import Candidate
from candidates.services import StaleEditError, update_candidate
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory, UserFactory

THREADS = 8


def _updates(candidate) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="candidates.candidate", object_id=str(candidate.pk)
    ).count()


def _run(threads):
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.postgres
@pytest.mark.reliability
@pytest.mark.django_db(transaction=True)
def test_simultaneous_edits_from_one_version_give_exactly_one(reference, organiser, reliability):
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], notes="原始")
    start_version = candidate.version
    barrier = threading.Barrier(THREADS)
    outcomes: dict[int, str] = {}

    def edit(n):
        try:
            barrier.wait()
            update_candidate(
                actor=organiser,
                candidate_id=candidate.pk,
                expected_version=start_version,
                fields={"notes": f"第{n}人的修改", "employer": f"单位{n}"},
            )
            outcomes[n] = "saved"
        except StaleEditError:
            outcomes[n] = "stale"
        except Exception as exc:  # anything else is a failure of the test, reported below
            outcomes[n] = repr(exc)
        finally:
            connection.close()

    _run([threading.Thread(target=edit, args=(n,)) for n in range(THREADS)])
    winners = [n for n, outcome in outcomes.items() if outcome == "saved"]
    row = Candidate.objects.get(pk=candidate.pk)
    exact = len(winners) == 1 and (row.notes, row.employer) == (f"第{winners[0]}人的修改", f"单位{winners[0]}")
    reliability(
        f"file edits: {THREADS} at once from one version",
        tried=len(outcomes),
        succeeded=len(winners),
        refused=list(outcomes.values()).count("stale"),
        lost=0 if exact else 1,
    )
    assert sorted(outcomes.values()) == ["saved"] + ["stale"] * (THREADS - 1), outcomes
    assert exact, (winners, row.notes, row.employer)
    assert row.version == start_version + 1
    assert _updates(candidate) == 1


@pytest.mark.postgres
@pytest.mark.reliability
@pytest.mark.django_db(transaction=True)
def test_refused_editors_reread_and_retry_until_every_change_lands(reference, organiser, reliability):
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], notes="")
    start_version = candidate.version
    barrier = threading.Barrier(THREADS)
    attempts, conflicts, saved, errors = [], [], [], []
    lock = threading.Lock()

    def edit(n):
        try:
            barrier.wait()
            for _ in range(10 * THREADS):
                current = Candidate.objects.get(pk=candidate.pk)  # re-read: the version and the notes so far
                with lock:
                    attempts.append(n)
                try:
                    update_candidate(
                        actor=organiser,
                        candidate_id=candidate.pk,
                        expected_version=current.version,
                        fields={"notes": f"{current.notes}[{n}]"},
                    )
                except StaleEditError:
                    with lock:
                        conflicts.append(n)
                else:
                    with lock:
                        saved.append(n)
                    return
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    _run([threading.Thread(target=edit, args=(n,)) for n in range(THREADS)])
    row = Candidate.objects.get(pk=candidate.pk)
    lost = [n for n in range(THREADS) if row.notes.count(f"[{n}]") != 1]
    reliability(
        f"file edits: {THREADS} editors retrying until all land",
        tried=len(attempts),
        succeeded=len(saved),
        refused=len(conflicts),
        lost=len(lost),
    )
    assert errors == []
    assert sorted(saved) == list(range(THREADS))
    assert lost == []
    assert len(attempts) == len(saved) + len(conflicts)
    assert row.version == start_version + THREADS
    assert _updates(candidate) == THREADS


def _file_data(candidate, **overrides):
    data = {
        "name": candidate.name,
        "id_number": candidate.id_number,
        "gender": candidate.gender_id,
        "birth_date": candidate.birth_date.isoformat(),
        "ethnicity": candidate.ethnicity_id,
        "phone": candidate.phone,
        "political_status": candidate.political_status_id,
        "education": candidate.education_id,
        "source_category": candidate.source_category,
        "village": candidate.village_id,
        "employer": candidate.employer,
        "notes": candidate.notes,
        "version": candidate.version,
    }
    data.update(overrides)
    return data


@pytest.mark.reliability
def test_a_stale_save_on_the_page_shows_the_other_persons_change(reference, organiser, reliability):
    colleague = UserFactory(username="wangqiang", full_name="王强", role=Role.ORGANISER, unit=reference[MINGYANG])
    candidate = CandidateFactory(
        township=reference[MINGYANG], village=reference[QILONGSHAN], notes="原始备注", employer="原单位"
    )
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(organiser)
    url = reverse("candidates:edit", args=[candidate.pk])
    # Both open the page at the same version; the colleague saves first.
    assert first.get(url).status_code == second.get(url).status_code == 200
    saved = first.post(url, _file_data(candidate, notes="王强补充：已返乡创业", employer="骑龙山合作社"))
    assert saved.status_code == 302
    with translation.override("zh-hans"):
        stale = second.post(url, _file_data(candidate, notes="我的补充：在外务工"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert stale.status_code == 200
    page = stale.text
    assert "其他人已保存了这份档案" in page
    assert "王强于" in page  # who saved it, and when
    row = Candidate.objects.get(pk=candidate.pk)
    assert (row.notes, row.employer, row.version) == ("王强补充：已返乡创业", "骑龙山合作社", 2)
    conflict = stale.context["stale"]
    fields = {str(field["label"]): (field["mine"], field["saved"]) for field in conflict["fields"]}
    assert fields["备注"] == ("我的补充：在外务工", "王强补充：已返乡创业")
    assert fields["工作单位或经营企业"] == ("原单位", "骑龙山合作社")
    assert "我的补充：在外务工" in page and "骑龙山合作社" in page
    # The page now carries the saved version: saving again is deliberate and goes through.
    assert stale.context["form"]["version"].value() == 2
    again = second.post(url, _file_data(row, notes="两人的补充：已返乡创业，曾在外务工"))
    assert again.status_code == 302
    row.refresh_from_db()
    reliability(
        "file edits: two people on the edit page",
        tried=3,
        succeeded=2,
        refused=1,
        lost=0 if row.employer == "骑龙山合作社" and row.version == 3 else 1,
    )
    assert (row.notes, row.employer, row.version) == ("两人的补充：已返乡创业，曾在外务工", "骑龙山合作社", 3)

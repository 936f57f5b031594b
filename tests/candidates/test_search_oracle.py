"""S11: the candidate search cannot be turned into an oracle for ID and phone numbers.

An attacker who may search sees `5119**********0518` and tries to extend the digits they know one
at a time; each answer "found" or "not found" would leak a digit. Only whole numbers, or a name with
the last four digits, match; whole-number searches are audited.
"""

import pytest
from django.urls import reverse

from cadre_pool.models import AuditAction, AuditEvent
from tests.conftest import MINGYANG
from tests.factories import CandidateFactory

ID_NUMBER = "511902198612030518"
PHONE = "13812345678"

pytestmark = [pytest.mark.reliability]


def found(client, url, q):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    return {candidate.name for candidate in response.context["object_list"]}


def digit_by_digit(client, url, secret: str, known: str, alphabet: str = "0123456789X") -> tuple[int, str]:
    """Extend `known` one character at a time while a search says "found"; how many requests, and
    how much of `secret` beyond `known` the attack learnt."""
    requests, learnt = 0, known
    while len(learnt) < len(secret):
        for char in alphabet:
            requests += 1
            if found(client, url, learnt + char):
                learnt += char
                break
        else:
            break
    return requests, learnt[len(known) :]


@pytest.mark.parametrize("url_name", ["candidates:list", "candidates:supply"])
def test_the_digit_by_digit_attack_recovers_nothing(client, leader, reference, url_name, reliability):
    CandidateFactory(township=reference[MINGYANG], name="张明阳", id_number=ID_NUMBER, phone=PHONE)
    client.force_login(leader)  # the read-only district leader may search
    url = reverse(url_name)
    id_requests, id_learnt = digit_by_digit(client, url, ID_NUMBER, known=ID_NUMBER[:4])
    # From the end too: the masked value shows the last four.
    phone_requests, phone_learnt = digit_by_digit(client, url, PHONE, known=PHONE[:3], alphabet="0123456789")
    reliability(
        "search oracle: digits recovered",
        tried=id_requests + phone_requests,
        succeeded=len(id_learnt) + len(phone_learnt),
        leaked=len(id_learnt) + len(phone_learnt),
    )
    assert (id_learnt, phone_learnt) == ("", "")
    for fragment in (ID_NUMBER[-6:], ID_NUMBER[:10], PHONE[3:9], "0518", "5678", ID_NUMBER[1:]):
        assert found(client, url, fragment) == set(), fragment


def test_whole_numbers_and_name_with_last_four_digits_find_the_file(client, leader, reference):
    CandidateFactory(township=reference[MINGYANG], name="张明阳", id_number=ID_NUMBER, phone=PHONE)
    CandidateFactory(township=reference[MINGYANG], name="张明", id_number="511902198612030000"[:17] + "X")
    client.force_login(leader)
    url = reverse("candidates:list")
    typings = (ID_NUMBER, " 5119 0219 8612 0305 18 ", "５１１９０２１９８６１２０３０５１８")
    for typed in (*typings, PHONE, "138-1234-5678", "+86 138 1234 5678"):
        assert found(client, url, typed) == {"张明阳"}, typed
    assert found(client, url, "张明阳 0518") == {"张明阳"}
    assert found(client, url, "0518张明阳") == {"张明阳"}
    assert found(client, url, "张明 5678") == {"张明阳"}  # the phone's last four
    assert found(client, url, "zmy 0518") == {"张明阳"}
    assert found(client, url, "张明阳 518") == set()  # three digits are a fragment
    assert found(client, url, "张明阳 05189") == set()


def test_a_whole_number_search_is_audited_masked(client, leader, reference):
    CandidateFactory(township=reference[MINGYANG], name="张明阳", id_number=ID_NUMBER, phone=PHONE)
    client.force_login(leader)
    found(client, reverse("candidates:list"), ID_NUMBER)
    found(client, reverse("candidates:list"), "张明阳")
    (row,) = AuditEvent.objects.filter(action=AuditAction.SEARCH_IDENTITY)
    assert (row.actor_id, row.extra) == (leader.pk, {"value": "5119**********0518"})


def test_the_admin_search_finds_whole_numbers_only(client, district_staff, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], name="张明阳", id_number=ID_NUMBER, phone=PHONE)
    client.force_login(district_staff)
    url = reverse("admin:candidates_candidate_changelist")

    def listed(q):
        response = client.get(url, {"q": q})
        assert response.status_code == 200
        return {row.pk for row in response.context["cl"].result_list}

    assert listed(ID_NUMBER[:10]) == set()
    assert listed(ID_NUMBER) == {candidate.pk}
    assert listed("张明阳") == {candidate.pk}
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH_IDENTITY, actor_id=district_staff.pk).count() == 1


def test_typed_numbers_reach_the_audit_trail_and_logs_masked(client, district_staff, reference, _log_lines):
    CandidateFactory(township=reference[MINGYANG], name="张明阳", id_number=ID_NUMBER, phone=PHONE)
    client.force_login(district_staff)
    response = client.get(reverse("candidates:list"), {"q": ID_NUMBER, "export": "xlsx"})
    assert response.status_code == 200
    client.get(f"/nowhere/{ID_NUMBER}/{PHONE}/")  # Django logs the path of a 404
    rows = list(AuditEvent.objects.values_list("extra", flat=True))
    text = str(rows) + "\n".join(_log_lines.lines)
    assert ID_NUMBER not in text and PHONE not in text
    assert "5119**********0518" in text and "/nowhere/5119**********0518/138****5678/" in text

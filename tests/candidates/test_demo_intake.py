"""Intake demo data: deterministic, idempotent and valid."""

from candidates.demo import ensure_demo_accounts, seed_candidates, seed_intake
from candidates.models import Candidate, Contact, PolicyDelivery, PolicyItem, VillageNeed


def _snapshot():
    return (
        PolicyItem.objects.count(),
        VillageNeed.objects.count(),
        Contact.objects.count(),
        PolicyDelivery.objects.count(),
        sorted(Candidate.objects.filter(target_village__isnull=False).values_list("id_number", flat=True)),
        sorted(Candidate.objects.filter(has_industry_skill=True).values_list("id_number", flat=True)),
    )


def test_seed_intake_is_idempotent_and_valid(reference):
    ensure_demo_accounts()
    seed_candidates(count=60, seed=7)
    seed_intake(seed=7)
    first = _snapshot()
    assert first[0] == 5 and first[1] == 4 and first[2] > 0 and first[4]
    seed_intake(seed=7)
    assert _snapshot() == first
    for model in (PolicyItem, VillageNeed, Contact, PolicyDelivery):
        for row in model.objects.all():
            row.full_clean()
    for candidate in Candidate.objects.prefetch_related("skills"):
        candidate.full_clean()
        assert candidate.has_industry_skill == (candidate.skills.exists() or bool(candidate.skills_other))

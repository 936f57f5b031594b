"""The lists on a candidate's file page, each a query compiled once per process (cadre_pool.prepared)."""

from dataclasses import dataclass

from cadre_pool.prepared import Prepared
from candidates.models import Contact, PolicyDelivery, PoolEvent, SkillTag, WorkHistoryEntry

_events = Prepared(
    lambda key: PoolEvent.objects.filter(candidate_id=key).select_related("actor").order_by("-created_at", "-pk")
)
_skills = Prepared(lambda key: SkillTag.objects.filter(candidate=key))
_work_history = Prepared(lambda key: WorkHistoryEntry.objects.filter(candidate_id=key))
_contacts = Prepared(
    lambda key: Contact.objects.filter(candidates=key).select_related("recorded_by").order_by("-date", "-pk")
)
_deliveries = Prepared(
    lambda key: (
        PolicyDelivery.objects.filter(candidate_id=key)
        .select_related("policy", "uptake_recorded_by")
        .order_by("handed_on", "pk")
    )
)


@dataclass
class FileRecords:
    events: list
    skills: list
    work_history: list
    contacts: list
    deliveries: list


def file_records(candidate) -> FileRecords:
    """Pool events, skills, work history, contacts and policy deliveries of one candidate: five
    queries, cached on the instance for the request (the page and the timeline share them)."""
    cached = getattr(candidate, "_file_records", None)
    if cached is None:
        pk = candidate.pk
        cached = candidate._file_records = FileRecords(
            events=_events(pk),
            skills=_skills(pk),
            work_history=_work_history(pk),
            contacts=_contacts(pk),
            deliveries=_deliveries(pk),
        )
    return cached

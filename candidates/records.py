"""A candidate's file page: the file and its lists, each a query compiled once per process (cadre_pool.prepared)."""

from dataclasses import dataclass

from django.http import Http404

from cadre_pool import audit
from cadre_pool.prepared import Prepared
from cadre_pool.scoping import in_township_scope
from candidates.models import Candidate, Contact, PolicyDelivery, PoolEvent, SkillTag, WorkHistoryEntry

_file = Prepared(lambda key: Candidate.objects.for_detail().filter(pk=key))


def file_for(user, pk: int) -> Candidate:
    """The file with its township, village and code tables, when the user's scope holds it; else 404.

    Read by its key alone and tested with `in_township_scope`, the scoping rule's form for one row:
    the same answer as `Candidate.objects.visible_to(user).get(pk=pk)`, including the audit row for a
    file outside the scope, without building and compiling the scoped query (a third of the page's
    Python) on every request.
    """
    found = _file(pk)
    if not found or not in_township_scope(user, found[0].township):
        if found:
            audit.refused(user, Candidate, pk)
        raise Http404
    return found[0]


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

"""A candidate's file page: the file, read through the user's scope, and its lists."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from candidates.models import Candidate, Contact, PolicyDelivery, SkillTag, WorkHistoryEntry


def file_for(user, pk: int) -> Candidate:
    """The file with its township, village and code tables, when the user's scope holds it; else 404
    (and an audit row for a file outside the scope, see cadre_pool.access.scoping.ScopedQuerySet)."""
    return get_object_or_404(Candidate.objects.visible_to(user).for_detail(), pk=pk)


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
        cached = candidate._file_records = FileRecords(
            events=list(candidate.events.select_related("actor").order_by("-created_at", "-pk")),
            skills=list(SkillTag.objects.filter(candidate=candidate)),
            work_history=list(WorkHistoryEntry.objects.filter(candidate=candidate)),
            contacts=list(
                Contact.objects.filter(candidates=candidate).select_related("recorded_by").order_by("-date", "-pk")
            ),
            deliveries=list(
                PolicyDelivery.objects.filter(candidate=candidate)
                .select_related("policy", "uptake_recorded_by")
                .order_by("handed_on", "pk")
            ),
        )
    return cached

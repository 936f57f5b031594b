"""The candidates a form offers, and their type-ahead (see cadre_pool.org.picklists)."""

from django.db.models import Q, QuerySet

from cadre_pool.access.declarations import WRITERS, access
from cadre_pool.org.picklists import answer, search_terms
from candidates.models import Candidate, PoolStatus


def candidate_label(candidate: Candidate) -> str:
    return f"{candidate.name}（{candidate.village.display_name}）" if candidate.village_id else candidate.name


def contact_candidates(user) -> QuerySet:
    """Whom a visit, talk or meeting may record: the user's candidates still in the pipeline."""
    return (
        Candidate.objects.visible_to(user)
        .exclude(status__in=[PoolStatus.PROMOTED, PoolStatus.EXITED])
        .select_related("village")
        .order_by("name", "pk")
    )


def matching_name(candidates: QuerySet, text: str) -> QuerySet:
    """By name, pinyin initials ("zxl" finds 祝心灵) or village; never by ID number or phone."""
    letters = text.replace(" ", "").lower()
    if letters.isascii() and letters.isalpha():
        # Each reading of the name is a space-separated variant: match the start of any of them.
        return candidates.filter(Q(name_initials__startswith=letters) | Q(name_initials__contains=f" {letters}"))
    return candidates.filter(
        Q(name__contains=text) | Q(village__name__contains=text) | Q(village__short_name__contains=text)
    )


@access(WRITERS)
def candidate_picklist(request):
    text = search_terms(request)
    candidates = contact_candidates(request.user)
    return answer(matching_name(candidates, text) if text else candidates.none(), candidate_label)

"""The mentors a form offers, and their type-ahead (see cadre_pool.org.picklists)."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cadre_pool.access.declarations import WRITERS, access
from cadre_pool.org.picklists import answer, search_terms
from candidates.models import Candidate
from mentorship.models import Mentor


def mentor_label(mentor: Mentor) -> str:
    return _("%(name)s · %(role)s · %(load)d/%(capacity)d") % {
        "name": mentor.name,
        "role": mentor.get_role_display(),
        "load": mentor.current_mentees,
        "capacity": mentor.capacity,
    }


def assignable_mentors(user, candidate: Candidate) -> QuerySet:
    """The active mentors a user may assign to the candidate: the organiser's township's (district staff:
    the district's), the candidate's own township first."""
    home_first = Case(
        When(township_id=candidate.township_id, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Mentor.objects.visible_to(user)
        .filter(active=True)
        .with_load()
        .select_related("township")
        .order_by(home_first, "township__code", "name", "pk")
    )


@access(WRITERS)
def mentor_picklist(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    text = search_terms(request)
    mentors = assignable_mentors(request.user, candidate)
    if not text:
        return answer(mentors.none(), mentor_label)
    mentors = mentors.filter(Q(name__contains=text) | Q(work_unit__contains=text))
    return answer(mentors, mentor_label)

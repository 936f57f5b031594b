"""Type-ahead answers for the long pick-lists of the forms (mentors, villages, candidates).

Each endpoint searches the very queryset its form offers (the form and the endpoint call the same
function), so a name the type-ahead proposes is one the form accepts, and one outside the user's scope
never appears. Answers are capped: a pick-list proposes, the user narrows by typing. Only names are
searched, never ID numbers or phone numbers: a digit string answers nothing, so the type-ahead cannot be
used to probe who holds a number.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from cadre_pool.access.declarations import WRITERS, access
from cadre_pool.models import OrgUnit

LIMIT = 20
MAX_QUERY_LENGTH = 30


def search_terms(request) -> str:
    """The typed text, trimmed; empty when it holds a digit (an ID or phone number is never searched)."""
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if any(character.isdigit() for character in text):
        return ""
    return text


def answer(queryset: QuerySet, label: Callable[[object], str]) -> JsonResponse:
    """At most LIMIT rows as {"id", "label"}, and whether more matched (one row more is read to know)."""
    rows = list(queryset[: LIMIT + 1])
    results = [{"id": row.pk, "label": label(row)} for row in rows[:LIMIT]]
    return JsonResponse({"results": results, "more": len(rows) > LIMIT})


def picklist_attrs(url: str, *, placeholder=None) -> dict:
    """Widget attributes that static/js/picklist.js turns into a search box; the texts it shows are
    translated here, as the script carries none of its own."""
    return {
        "data-picklist": url,
        "data-picklist-placeholder": placeholder or _("Type a name to search"),
        "data-picklist-empty": _("No match in your area."),
        "data-picklist-more": _("More matches: type more of the name."),
        "data-picklist-remove": _("Remove"),
    }


def village_label(village: OrgUnit) -> str:
    # District staff pick from every township's villages: name the township too.
    return f"{village.parent.display_name} · {village.display_name}"


def villages_for(user, *, township_id: int | None = None) -> QuerySet:
    """The villages a user may pick on a form, in code order; only one township's when asked."""
    villages = OrgUnit.objects.villages().visible_to(user).select_related("parent").order_by("code")
    if township_id is not None:
        villages = villages.filter(parent_id=township_id)
    return villages


@access(WRITERS)
def village_picklist(request):
    township_id = None
    if request.GET.get("township"):
        township = get_object_or_404(
            OrgUnit.objects.townships().visible_to(request.user), pk=_number(request.GET["township"])
        )
        township_id = township.pk
    villages = villages_for(request.user, township_id=township_id)
    text = search_terms(request)
    if not text:
        return JsonResponse({"results": [], "more": False})
    villages = villages.filter(
        Q(name__contains=text)
        | Q(short_name__contains=text)
        | Q(parent__name__contains=text)
        | Q(parent__short_name__contains=text)
    )
    return answer(villages, village_label)


def _number(value: str) -> int:
    """A key from the query string; anything else is not found rather than a server error."""
    return int(value) if value.isdigit() else 0

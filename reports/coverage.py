"""The village coverage page: per township, how many villages have 0, 1 and 2 or more reserves in the pool,
and their open needs; for one chosen township, each village with the people it counts (candidates.coverage
says who counts where)."""

from django.shortcuts import render

from cadre_pool.access.declarations import READERS, access
from cadre_pool.models import OrgUnit
from candidates.coverage import annotate_open_needs, annotate_reserves, counted_reserves
from candidates.views.outreach import chosen_township


def township_summary(villages) -> list[dict]:
    """One row per township of these villages: villages by number of reserves, open needs, and the
    reserves counted by target and by home village."""
    summary: dict[int, dict] = {}
    for village in (
        villages.select_related("parent").order_by("code").only("pk", "code", "name", "short_name", "parent")
    ):
        row = summary.setdefault(
            village.parent_id,
            {
                "township": village.parent,
                "villages": 0,
                "zero": 0,
                "one": 0,
                "two": 0,
                "needs": 0,
                "by_target": 0,
                "by_home": 0,
            },
        )
        row["villages"] += 1
        row["zero" if village.reserves == 0 else "one" if village.reserves == 1 else "two"] += 1
        row["needs"] += village.open_needs
        row["by_target"] += village.reserves_by_target
        row["by_home"] += village.reserves_by_home
    return list(summary.values())


def villages_with_reserves(villages) -> list:
    """These villages, fewest reserves first, each with `pool_reserves`: the people who count for it."""
    rows = list(villages.order_by("reserves", "code"))
    people: dict[int, list] = {}
    reserves = (
        counted_reserves([village.pk for village in rows])
        .only("pk", "name", "township", "village", "target_village")
        .order_by("name", "pk")
    )
    for person in reserves:
        people.setdefault(person.counted_for, []).append(person)
    for village in rows:
        village.pool_reserves = people.get(village.pk, [])
    return rows


@access(READERS)
def coverage(request):
    villages = annotate_open_needs(
        annotate_reserves(OrgUnit.objects.villages().visible_to(request.user).filter(active=True))
    )
    township = chosen_township(request)
    rows = villages_with_reserves(villages.filter(parent=township)) if township is not None else []
    return render(
        request,
        "reports/coverage.html",
        {"summary": township_summary(villages), "township": township, "villages": rows},
    )

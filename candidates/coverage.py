"""Village coverage: which village a person in the pool counts for, and on which basis.

A person in the pool counts as a reserve for their target village (拟任职村); where none is set, for
their home village (户籍村). Every page and figure that shows coverage counts through this module, so
the coverage page, the dashboard and the statistics workbook agree.
"""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from candidates.models import Candidate, NeedStatus, PoolStatus, VillageNeed


def _in_pool():
    return Candidate.objects.filter(status=PoolStatus.IN_POOL)


def _count(queryset, field: str, outer: str):
    """A correlated COUNT, for annotating rows without multiplying them."""
    counted = queryset.filter(**{field: OuterRef(outer)}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def annotate_reserves(queryset, outer: str = "pk"):
    """Annotate rows (villages, or rows pointing at a village through `outer`) with `reserves_by_target`,
    `reserves_by_home` and their sum `reserves`."""
    return queryset.annotate(
        reserves_by_target=_count(_in_pool(), "target_village", outer),
        reserves_by_home=_count(_in_pool().filter(target_village__isnull=True), "village", outer),
    ).annotate(reserves=F("reserves_by_target") + F("reserves_by_home"))


def annotate_open_needs(villages):
    """Annotate villages with `open_needs`, the number of their needs still open."""
    return villages.annotate(open_needs=_count(VillageNeed.objects.filter(status=NeedStatus.OPEN), "village", "pk"))


def counted_reserves(villages):
    """The people in the pool who count for these villages, each with `counted_for`, the id of the village
    they count for (by home village where `target_village_id` is None)."""
    return (
        _in_pool()
        .filter(Q(target_village__in=villages) | Q(target_village__isnull=True, village__in=villages))
        .annotate(counted_for=Coalesce("target_village", "village"))
    )

"""Excel export of a look-back round's results, through the shared export machinery."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import DIMENSIONS, Review, ReviewRound
from cadre_pool.excel import Column, Table


def _rating(field):
    return lambda review: getattr(review, f"get_{field}_display")()


def _comment(field):
    return lambda review: getattr(review, f"{field}_comment")


def build_round_results(user, params) -> tuple[Table, int]:
    review_round = get_object_or_404(ReviewRound.objects.visible_to(user), pk=params.get("round"))
    queryset = (
        Review.objects.visible_to(user)
        .filter(round=review_round)
        .select_related("candidate", "candidate__township")
        .order_by("candidate__township__code", "candidate__name", "pk")
    )
    columns = [
        Column("township", _("Township"), 10, lambda r: str(r.candidate.township)),
        Column("name", _("Name"), 10, lambda r: r.candidate.name),
    ]
    for field, label in DIMENSIONS:
        columns.append(Column(field, str(label), 8, _rating(field)))
        columns.append(
            Column(f"{field}_comment", _("%(dimension)s comment") % {"dimension": label}, 20, _comment(field))
        )
    columns += [
        Column(
            "votes",
            _("Votes (excellent/good/fair/poor)"),
            14,
            lambda r: (
                "/".join(
                    "" if v is None else str(v) for v in (r.votes_excellent, r.votes_good, r.votes_fair, r.votes_poor)
                )
                if r.votes_excellent is not None or r.votes_good is not None
                else ""
            ),
        ),
        Column("conclusion", _("Conclusion proposed"), 12, lambda r: r.get_conclusion_display()),
        Column("note", _("Reasons for the proposal"), 30, lambda r: r.conclusion_note),
        Column("decision", _("Decision"), 10, lambda r: r.get_proposal_status_display()),
    ]
    table = Table(
        sheet=_("Look-back results"),
        title=review_round.name,
        subtitle=_("%(unit)s · exported %(time)s by %(user)s")
        % {"unit": user.unit, "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": user},
        columns=columns,
        rows=queryset.iterator(chunk_size=2000),
    )
    return table, queryset.count()

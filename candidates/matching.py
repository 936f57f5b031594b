"""Matching supply to a village need (按需选才、人岗相适): hard constraints, then an explainable score.

The formula and its reasons are documented in docs/matching.md; the weights live here, in one place.
A candidate who fails a hard constraint is never listed. Every other candidate gets one line per
score term (points and the reason), and the total is their sum.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_pool.models import PARTY_MEMBER_CODES
from candidates.models import Candidate, PartyPreference, PoolStatus, VillageNeed, Willingness

# The most points each term can give. Change them here (or in settings.MATCH_WEIGHTS); docs/matching.md explains them.
DEFAULT_WEIGHTS = {
    "skills": 40,
    "place": 15,
    "age": 10,
    "education": 10,
    "party": 10,
    "source": 10,
    "willingness": 10,
}
# Only people who have been met and have not left or been promoted are matched.
MATCHABLE_STATUSES = (
    PoolStatus.CONTACTED,
    PoolStatus.WILLING,
    PoolStatus.FILED,
    PoolStatus.PROPOSED,
    PoolStatus.IN_POOL,
)
COLLEGE_RANK = 3  # GB/T 4658 levels: 1 postgraduate, 2 bachelor, 3 college (大专), 4 vocational, 6 high school …
HIGH_SCHOOL_RANK = 6


def weights() -> dict[str, int]:
    return {**DEFAULT_WEIGHTS, **getattr(settings, "MATCH_WEIGHTS", {})}


def education_rank(code: str | None) -> int:
    """The GB/T 4658 level of an education code: its first digit (1 highest … 9 other)."""
    return int(code[0]) if code else 9


@dataclass
class Term:
    key: str
    label: str
    points: float
    maximum: int
    reason: str


@dataclass
class Match:
    candidate: Candidate
    terms: list[Term] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(term.points for term in self.terms), 1)


def eligible(need: VillageNeed, candidates, today: datetime.date | None = None):
    """The hard constraints, as a filter on a (scoped) candidate queryset."""
    today = today or timezone.localdate()
    queryset = candidates.filter(status__in=MATCHABLE_STATUSES).exclude(willingness=Willingness.NO)
    queryset = queryset.aged(at_least=need.age_min, at_most=need.age_max, today=today)
    if need.education_floor_id:
        # Codes are two digits and better levels sort first: "21" (bachelor) < "31" (college).
        queryset = queryset.filter(education_id__lt=f"{education_rank(need.education_floor_id) + 1}0")
    if need.party == PartyPreference.REQUIRED:
        queryset = queryset.filter(political_status_id__in=PARTY_MEMBER_CODES)
    # Someone already meant for another village is not offered again; for this village, they are.
    return queryset.filter(Q(target_village__isnull=True) | Q(target_village=need.village_id))


def score(need: VillageNeed, candidate: Candidate, need_skill_ids: set[int], today=None) -> Match:
    """One line per term: points (0 … its weight) and why. `candidate.skills` should be prefetched."""
    today = today or timezone.localdate()
    w = weights()
    match = Match(candidate)
    add = match.terms.append

    have = {tag.pk: tag.name for tag in candidate.skills.all()}
    common = [name for pk, name in have.items() if pk in need_skill_ids]
    if need_skill_ids:
        points = w["skills"] * len(common) / len(need_skill_ids)
        reason = _("%(n)d of %(total)d skills wanted: %(names)s") % {
            "n": len(common),
            "total": len(need_skill_ids),
            "names": "、".join(common) or "—",
        }
    else:
        points, reason = 0, _("the need names no skills")
    add(Term("skills", _("skill overlap"), round(points, 1), w["skills"], reason))

    village = need.village
    if village.pk in {candidate.village_id, candidate.target_village_id}:
        points, reason = w["place"], _("home or target village is this village")
    elif candidate.township_id == village.parent_id:
        points, reason = w["place"] * 2 / 3, _("same township")
    else:
        points, reason = 0, _("another township")
    add(Term("place", _("same township / home village"), round(points, 1), w["place"], reason))

    age = candidate.age_on(today)
    low = need.age_min if need.age_min is not None else settings.CANDIDATE_MIN_AGE
    high = need.age_max if need.age_max is not None else settings.CANDIDATE_MAX_AGE
    inside = low <= age <= high
    add(
        Term(
            "age",
            _("age band"),
            w["age"] if inside else 0,
            w["age"],
            _("%(age)d, band %(low)d–%(high)d") % {"age": age, "low": low, "high": high},
        )
    )

    rank = education_rank(candidate.education_id)
    if need.education_floor_id:
        floor = education_rank(need.education_floor_id)
        points = w["education"] if rank < floor else w["education"] / 2
        reason = _("above the floor") if rank < floor else _("at the floor")
    else:
        points = w["education"] if rank <= COLLEGE_RANK else (w["education"] / 2 if rank <= HIGH_SCHOOL_RANK else 0)
        reason = _("no floor: college and above score fully")
    add(Term("education", _("education"), points, w["education"], f"{candidate.education.name} · {reason}"))

    member = candidate.political_status_id in PARTY_MEMBER_CODES
    if need.party == PartyPreference.ANY:
        points, reason = 0, _("no preference")
    else:
        points = w["party"] if member else 0
        reason = _("party member") if member else _("not a party member")
    add(Term("party", _("party membership"), points, w["party"], reason))

    wanted = need.source_category_list
    if wanted:
        fits = candidate.source_category in wanted
        points, reason = (w["source"] if fits else 0), candidate.get_source_category_display()
    else:
        points, reason = 0, _("the need names no source categories")
    add(Term("source", _("source fit"), points, w["source"], reason))

    willingness = {Willingness.YES: 1.0, Willingness.CONSIDERING: 0.5}.get(candidate.willingness, 0.2)
    add(
        Term(
            "willingness",
            _("willingness to return"),
            round(w["willingness"] * willingness, 1),
            w["willingness"],
            candidate.get_willingness_display() or _("not asked yet"),
        )
    )
    return match


def rank(need: VillageNeed, candidates, *, limit: int = 50) -> list[Match]:
    """Scored, best first (ties: name), of the candidates that pass the hard constraints."""
    need_skill_ids = {tag.pk for tag in need.skills.all()}
    pool = eligible(need, candidates).select_related("education").prefetch_related("skills")
    today = timezone.localdate()
    matches = [score(need, candidate, need_skill_ids, today) for candidate in pool]
    matches.sort(key=lambda m: (-m.score, m.candidate.name, m.candidate.pk))
    return matches[:limit]

"""Management and use (管得活、用得好): key-task assessments, look-back reviews, decisions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_pool.access.scoping import ScopedQuerySet, township_scope
from cadre_pool.models import OrgUnit
from cadre_pool.storage import private_storage
from candidates.models import Candidate, PoolEvent


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")


RATING_VALUES = [r.value for r in Rating]


class CandidateScopedQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        scope = township_scope(user, "candidate__township")
        return self.none() if scope is None else self.filter(scope)


class Assessment(models.Model):
    """考察识别: how a candidate performed in a real task."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("industry development")
        MEDIATION = "mediation", _("dispute mediation")
        EMERGENCY = "emergency", _("emergency response")
        MASS_WORK = "mass_work", _("mass work")
        OTHER = "other", _("other")

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="assessments"
    )
    kind = models.CharField(_("task"), max_length=20, choices=Kind)
    date = models.DateField(_("date"), default=timezone.localdate)
    description = models.TextField(_("what happened"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CandidateScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("key-task assessment")
        verbose_name_plural = _("key-task assessments")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__in=RATING_VALUES),
                name="assessment_rating_valid",
                violation_error_message=_("Unknown rating."),
            ),
        ]

    def __str__(self):
        return f"{self.candidate} {self.date} {self.get_kind_display()}"

    def clean(self):
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("An assessment cannot be dated in the future.")})


class EvidenceQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        scope = township_scope(user, "assessment__candidate__township")
        return self.none() if scope is None else self.filter(scope)


def _private_storage():
    return private_storage()


class Evidence(models.Model):
    """An image or PDF supporting an assessment."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), storage=_private_storage, upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class ReviewRoundQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        """A round belongs to a district; everyone reading candidates inside it sees the round."""
        if not (user.is_authenticated and user.can_read_candidates and user.unit_id):
            return self.none()
        unit = user.unit
        # The round's unit is the user's unit or one of its ancestors (an organiser sees the district's rounds),
        # or lies below the user's unit (a city sees its districts' rounds).
        ancestors = [code for code in unit.path.split("/") if code]
        return self.filter(Q(unit__code__in=ancestors) | Q(unit__path__startswith=unit.path))


class ReviewRound(models.Model):
    """回头看: a periodic look-back review of the candidates in the pool."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    unit = models.ForeignKey(OrgUnit, verbose_name=_("organisation unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("look-back review round")
        verbose_name_plural = _("look-back review rounds")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="round_period_in_order",
                violation_error_message=_("The period must end on or after its start."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


DIMENSIONS = (
    ("political", _("political quality")),
    ("ability", _("ability to perform")),
    ("style", _("work style")),
    ("reputation", _("public reputation")),
)
VOTE_FIELDS = ("votes_excellent", "votes_good", "votes_fair", "votes_poor")
# What a reviewer fills in (the review form and fill_review): each dimension with its comment,
# the votes and the conclusion.
REVIEW_FIELDS = (
    *(name for field, _label in DIMENSIONS for name in (field, f"{field}_comment")),
    *VOTE_FIELDS,
    "conclusion",
    "conclusion_note",
)


class Review(models.Model):
    """One candidate's look-back review in a round: four dimensions, votes and a proposal."""

    class Conclusion(models.TextChoices):
        KEEP = "keep", _("keep in pool")
        FOCUS = "focus", _("focus cultivation")
        REMOVE = "remove", _("remove from pool")
        PROMOTE = "promote", _("promote")

    class ProposalStatus(models.TextChoices):
        NONE = "", _("no decision needed")
        PENDING = "pending", _("awaiting decision")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    round = models.ForeignKey(ReviewRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reviews")
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="reviews"
    )
    political = models.CharField(_("political quality"), max_length=10, choices=Rating, blank=True)
    political_comment = models.CharField(_("comment"), max_length=300, blank=True)
    ability = models.CharField(_("ability to perform"), max_length=10, choices=Rating, blank=True)
    ability_comment = models.CharField(_("comment"), max_length=300, blank=True)
    style = models.CharField(_("work style"), max_length=10, choices=Rating, blank=True)
    style_comment = models.CharField(_("comment"), max_length=300, blank=True)
    reputation = models.CharField(_("public reputation"), max_length=10, choices=Rating, blank=True)
    reputation_comment = models.CharField(_("comment"), max_length=300, blank=True)
    votes_excellent = models.PositiveIntegerField(_("votes: excellent"), null=True, blank=True)
    votes_good = models.PositiveIntegerField(_("votes: good"), null=True, blank=True)
    votes_fair = models.PositiveIntegerField(_("votes: fair"), null=True, blank=True)
    votes_poor = models.PositiveIntegerField(_("votes: poor"), null=True, blank=True)
    conclusion = models.CharField(_("conclusion proposed"), max_length=10, choices=Conclusion, blank=True)
    conclusion_note = models.TextField(_("reasons for the proposal"), blank=True)
    proposal_status = models.CharField(
        _("decision"), max_length=10, choices=ProposalStatus, blank=True, default=ProposalStatus.NONE
    )
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filled by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    filled_at = models.DateTimeField(_("filled at"), null=True, blank=True)

    objects = CandidateScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("look-back review")
        verbose_name_plural = _("look-back reviews")
        ordering = ["candidate__township__code", "candidate__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "candidate"],
                name="review_once_per_round",
                violation_error_message=_("This candidate is already in the round."),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.candidate}"

    @property
    def is_done(self) -> bool:
        return self.filled_at is not None

    def ratings(self) -> list[tuple[str, str, str, str]]:
        """(field, dimension, rating shown, comment) for the four dimensions."""
        return [
            (field, str(label), getattr(self, f"get_{field}_display")(), getattr(self, f"{field}_comment"))
            for field, label in DIMENSIONS
        ]

    @property
    def has_poor_dimension(self) -> bool:
        return any(getattr(self, field) == Rating.POOR for field, _label in DIMENSIONS)

    def clean(self):
        super().clean()
        errors = {}
        if self.filled_at is not None or self.conclusion:
            for field, _label in DIMENSIONS:
                if not getattr(self, field):
                    errors[field] = ValidationError(_("Rate each of the four dimensions."), code="required")
            if not self.conclusion:
                errors["conclusion"] = ValidationError(_("Propose a conclusion."), code="required")
        if self.conclusion in {self.Conclusion.REMOVE, self.Conclusion.PROMOTE} and not self.conclusion_note.strip():
            errors["conclusion_note"] = ValidationError(
                _("Give the reasons for proposing removal or promotion."), code="required"
            )
        if errors:
            raise ValidationError(errors)


class Decision(models.Model):
    """A district decision on a candidate in the pool: removal or promotion, bound to its pool event."""

    class Kind(models.TextChoices):
        EXIT = "exit", _("removal from the pool")
        PROMOTION = "promotion", _("promotion")

    class ExitReason(models.TextChoices):
        ABILITY = "ability", _("insufficient ability")
        INITIATIVE = "initiative", _("lack of initiative")
        OWN_WISH = "own_wish", _("own wish")
        AGE = "age", _("over the age limit")
        MOVED = "moved", _("moved away or long absent")
        DISCIPLINE = "discipline", _("breach of discipline or law")
        OTHER = "other", _("other")

    class Post(models.TextChoices):
        VILLAGE_SECRETARY = "village_secretary", _("village Party organisation secretary")
        COMMUNITY_SECRETARY = "community_secretary", _("village (community) Party organisation secretary")
        COMMITTEE_DIRECTOR = "committee_director", _("village committee director")
        OTHER = "other", _("other")

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=10, choices=Kind)
    review = models.ForeignKey(
        Review, verbose_name=_("proposed in"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exit_reason = models.CharField(_("reason"), max_length=20, choices=ExitReason, blank=True)
    note = models.TextField(_("note"), blank=True)
    post = models.CharField(_("post"), max_length=30, choices=Post, blank=True)
    post_other = models.CharField(_("other post"), max_length=50, blank=True)
    village = models.ForeignKey(
        OrgUnit, verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effective_date = models.DateField(_("date"), default=timezone.localdate)
    pool_event = models.OneToOneField(
        PoolEvent, verbose_name=_("pool event"), on_delete=models.PROTECT, related_name="decision"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    # What the decision closed, by kind, as the labels of the records (see services.close_on_leaving):
    # the timeline says it in the reader's language.
    closed = models.JSONField(_("records closed"), default=dict, db_default={}, blank=True, editable=False)

    objects = CandidateScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="promotion") | ~Q(exit_reason=""),
                name="decision_exit_has_reason",
                violation_error_message=_("A removal needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(kind="exit") | (~Q(post="") & Q(village__isnull=False)),
                name="decision_promotion_has_post_and_village",
                violation_error_message=_("A promotion records the post and the village."),
            ),
        ]

    def __str__(self):
        return f"{self.candidate}: {self.get_kind_display()}"

    @property
    def post_label(self) -> str:
        return self.post_other if self.post == self.Post.OTHER and self.post_other else self.get_post_display()

    def clean(self):
        super().clean()
        if self.kind == self.Kind.EXIT and not self.note.strip():
            raise ValidationError({"note": _("Explain the removal in a note.")})

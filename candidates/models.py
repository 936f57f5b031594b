"""The candidate's information file and the events that move it through the pool."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_pool.models import PARTY_MEMBER_CODES, Education, Ethnicity, Gender, OrgUnit, PoliticalStatus, Role
from cadre_pool.scoping import township_scope
from candidates.identity import (
    id_birth_date,
    id_gender_code,
    mask_id_number,
    mask_mobile,
    normalise_id_number,
    normalise_mobile,
    validate_id_number,
    validate_mobile,
)


class SourceCategory(models.TextChoices):
    MIGRANT_BUSINESS = "migrant_business", _("migrant worker or business person")
    COLLEGE_GRADUATE = "college_graduate", _("local college graduate")
    VETERAN = "veteran", _("veteran")
    WEALTH_LEADER = "wealth_leader", _("local wealth leader")
    RETURNEE_ENTREPRENEUR = "returnee_entrepreneur", _("returnee entrepreneur")
    VILLAGE_CADRE = "village_cadre", _("village (community) cadre")
    OTHER = "other", _("other")


class PoolStatus(models.TextChoices):
    PROSPECT = "prospect", _("prospect")
    CONTACTED = "contacted", _("contacted")
    WILLING = "willing", _("willing")
    FILED = "filed", _("filed")
    IN_POOL = "in_pool", _("in pool")
    PROMOTED = "promoted", _("promoted")
    EXITED = "exited", _("exited")


# Where a candidate may go next from each status. Entering the pool, promotion
# and exit are decisions; the funnel steps before them are the organiser's.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    PoolStatus.PROSPECT: (PoolStatus.CONTACTED, PoolStatus.EXITED),
    PoolStatus.CONTACTED: (PoolStatus.WILLING, PoolStatus.EXITED),
    PoolStatus.WILLING: (PoolStatus.FILED, PoolStatus.EXITED),
    PoolStatus.FILED: (PoolStatus.IN_POOL, PoolStatus.EXITED),
    PoolStatus.IN_POOL: (PoolStatus.PROMOTED, PoolStatus.EXITED),
    PoolStatus.PROMOTED: (),
    # An exited person may come back through the intake funnel, history kept.
    PoolStatus.EXITED: (PoolStatus.PROSPECT,),
}
DECISION_STATUSES = frozenset({PoolStatus.IN_POOL, PoolStatus.PROMOTED, PoolStatus.EXITED})


def allowed_next_statuses(current: str, user, *, decisions: bool = False) -> list[str]:
    """Where this user may move a candidate. Leaving the pool (promotion, removal) is a recorded
    decision with its own page, so it is offered only when `decisions` is asked for."""
    options = NEXT_STATUSES.get(current, ())
    if current == PoolStatus.IN_POOL and not decisions:
        options = ()
    if not user.can_decide:
        options = tuple(s for s in options if s not in DECISION_STATUSES)
    return list(options) if user.can_write_candidates else []


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping rule for candidates: a user sees the candidates of their unit's subtree."""
        scope = township_scope(user)
        return self.none() if scope is None else self.filter(scope)

    def for_list(self):
        return self.select_related("township", "village", "gender", "political_status", "education")

    def for_detail(self):
        return self.select_related(
            "township", "village", "gender", "ethnicity", "political_status", "education", "created_by"
        ).prefetch_related(
            Prefetch("events", queryset=PoolEvent.objects.select_related("actor").order_by("-created_at", "-pk"))
        )


class Candidate(models.Model):
    """One reserve candidate's information file (信息档案)."""

    name = models.CharField(_("full name"), max_length=50)
    gender = models.ForeignKey(Gender, verbose_name=_("gender"), on_delete=models.PROTECT)
    ethnicity = models.ForeignKey(Ethnicity, verbose_name=_("ethnicity"), on_delete=models.PROTECT)
    birth_date = models.DateField(_("birth date"))
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    phone = models.CharField(_("mobile phone"), max_length=11)
    political_status = models.ForeignKey(PoliticalStatus, verbose_name=_("political status"), on_delete=models.PROTECT)
    party_entry_date = models.DateField(_("party entry date"), null=True, blank=True)
    education = models.ForeignKey(Education, verbose_name=_("education"), on_delete=models.PROTECT)
    source_category = models.CharField(_("source category"), max_length=30, choices=SourceCategory)
    township = models.ForeignKey(
        OrgUnit,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="township_candidates",
        limit_choices_to={"level": OrgUnit.Level.TOWNSHIP},
    )
    village = models.ForeignKey(
        OrgUnit,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="village_candidates",
        limit_choices_to={"level": OrgUnit.Level.VILLAGE},
        null=True,
        blank=True,
    )
    status = models.CharField(_("pool status"), max_length=20, choices=PoolStatus, default=PoolStatus.PROSPECT)
    notes = models.TextField(_("notes"), blank=True)
    # Optimistic concurrency: an edit must name the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["township__code", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in PoolStatus]),
                name="candidate_status_valid",
                violation_error_message=_("Unknown pool status."),
            ),
            models.CheckConstraint(
                condition=Q(source_category__in=[s.value for s in SourceCategory]),
                name="candidate_source_valid",
                violation_error_message=_("Unknown source category."),
            ),
            models.CheckConstraint(
                condition=Q(party_entry_date__isnull=True) | Q(party_entry_date__gt=F("birth_date")),
                name="candidate_party_entry_after_birth",
                violation_error_message=_("The party entry date must be after the birth date."),
            ),
        ]
        indexes = [
            models.Index(fields=["township", "status", "name"], name="candidate_township_status_name"),
            models.Index(fields=["status", "name"], name="candidate_status_name"),
            models.Index(fields=["village"], name="candidate_village"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors: dict[str, list] = {}
        self.id_number = normalise_id_number(self.id_number)
        self.phone = normalise_mobile(self.phone)
        try:
            validate_id_number(self.id_number)
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.error_list)
        else:
            if self.birth_date and self.birth_date != id_birth_date(self.id_number):
                errors.setdefault("birth_date", []).append(
                    ValidationError(_("The birth date does not agree with the ID number."), code="birth_mismatch")
                )
            if self.gender_id and self.gender_id != id_gender_code(self.id_number):
                errors.setdefault("gender", []).append(
                    ValidationError(_("The gender does not agree with the ID number."), code="gender_mismatch")
                )
        if self.phone:
            try:
                validate_mobile(self.phone)
            except ValidationError as exc:
                errors.setdefault("phone", []).extend(exc.error_list)
        today = timezone.localdate()
        if self.birth_date and self.age_on(today) < settings.CANDIDATE_MIN_AGE:
            errors.setdefault("birth_date", []).append(
                ValidationError(
                    _("A candidate must be at least %(age)d years old."),
                    code="too_young",
                    params={"age": settings.CANDIDATE_MIN_AGE},
                )
            )
        if self.political_status_id in PARTY_MEMBER_CODES and not self.party_entry_date:
            errors.setdefault("party_entry_date", []).append(
                ValidationError(_("Party members need a party entry date."), code="party_entry_required")
            )
        if self.political_status_id and self.political_status_id not in PARTY_MEMBER_CODES and self.party_entry_date:
            errors.setdefault("party_entry_date", []).append(
                ValidationError(_("Only party members have a party entry date."), code="party_entry_forbidden")
            )
        if self.party_entry_date:
            if self.party_entry_date > today:
                errors.setdefault("party_entry_date", []).append(
                    ValidationError(_("The party entry date cannot be in the future."), code="party_entry_future")
                )
            if self.birth_date and self.party_entry_date <= self.birth_date:
                errors.setdefault("party_entry_date", []).append(
                    ValidationError(_("The party entry date must be after the birth date."), code="party_entry_order")
                )
        if self.village_id and self.township_id and self.village.parent_id != self.township_id:
            errors.setdefault("village", []).append(
                ValidationError(_("This village does not belong to the chosen township."), code="village_township")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone)

    def age_on(self, day: datetime.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class PoolEvent(models.Model):
    """One movement of a candidate through the pool: who, when, why, approved by whom."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=PoolStatus, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=PoolStatus)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(_("role"), max_length=20, choices=Role)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("pool event")
        verbose_name_plural = _("pool events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["candidate", "-created_at"], name="poolevent_candidate_time")]

    def __str__(self):
        return f"{self.candidate}: {self.get_from_status_display()} → {self.get_to_status_display()}"

"""The village needs list and the reserves assigned to a village."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_pool.access.scoping import ScopedQuerySet
from cadre_pool.models import (
    Education,
    OrgUnit,
)
from candidates.models.files import Candidate, SkillTag, SourceCategory, scoped


class NeedField(models.TextChoices):
    INDUSTRY = "industry", _("industry development")
    ECOMMERCE = "ecommerce", _("e-commerce")
    GOVERNANCE = "governance", _("village governance")
    CARE = "care", _("elderly and child care")
    COLLECTIVE = "collective", _("collective economy")
    OTHER = "other", _("other")


class PartyPreference(models.TextChoices):
    REQUIRED = "required", _("party member required")
    PREFERRED = "preferred", _("party member preferred")
    ANY = "any", _("no preference")


class NeedPriority(models.TextChoices):
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")
    LOW = "low", _("low")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("open")
    COVERED = "covered", _("covered")
    WITHDRAWN = "withdrawn", _("withdrawn")


class VillageNeedQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        return scoped(self, user, "village__parent")

    def for_list(self):
        return self.select_related("village", "village__parent", "education_floor").prefetch_related("skills")


class VillageNeed(models.Model):
    """One item of a village's needs list (村级需求清单): what kind of reserve the village wants."""

    village = models.ForeignKey(
        OrgUnit,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="needs",
        limit_choices_to={"level": OrgUnit.Level.VILLAGE},
    )
    field = models.CharField(_("field"), max_length=20, choices=NeedField)
    title = models.CharField(_("need"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    skills = models.ManyToManyField(SkillTag, verbose_name=_("skills wanted"), blank=True, related_name="+")
    age_min = models.PositiveSmallIntegerField(_("age from"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("age to"), null=True, blank=True)
    education_floor = models.ForeignKey(
        Education,
        verbose_name=_("education at least"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"parent__isnull": True},
    )
    party = models.CharField(
        _("party membership"), max_length=10, choices=PartyPreference, default=PartyPreference.PREFERRED
    )
    # Comma-separated SourceCategory values; empty means any.
    source_categories = models.CharField(_("preferred source categories"), max_length=200, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=NeedPriority, default=NeedPriority.NORMAL)
    reserves_wanted = models.PositiveSmallIntegerField(_("reserves wanted"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=NeedStatus, default=NeedStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VillageNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("village need")
        verbose_name_plural = _("village needs list")
        ordering = ["village__code", "-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(field__in=["industry", "ecommerce", "governance", "care", "collective", "other"]),
                name="villageneed_field_valid",
                violation_error_message=_("Unknown field of need."),
            ),
            models.CheckConstraint(
                condition=Q(party__in=["required", "preferred", "any"])
                & Q(priority__in=["high", "normal", "low"])
                & Q(status__in=["open", "covered", "withdrawn"]),
                name="villageneed_choices_valid",
                violation_error_message=_("Unknown party preference, priority or status."),
            ),
            models.CheckConstraint(
                condition=Q(reserves_wanted__gte=1),
                name="villageneed_wants_at_least_one",
                violation_error_message=_("A village wants at least one reserve."),
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_max__gte=F("age_min")),
                name="villageneed_age_band_in_order",
                violation_error_message=_("The upper age must not be below the lower age."),
            ),
        ]
        indexes = [models.Index(fields=["village", "status"], name="villageneed_village_status")]

    def __str__(self):
        return f"{self.village} · {self.title}"

    def clean(self):
        super().clean()
        if set(self.source_category_list) - set(SourceCategory.values):
            raise ValidationError({"source_categories": _("Unknown source category.")})

    @property
    def source_category_list(self) -> list[str]:
        return [value for value in self.source_categories.split(",") if value]

    def get_source_categories_display(self) -> list[str]:
        return [SourceCategory(value).label for value in self.source_category_list]


class ReserveAssignment(models.Model):
    """The record of a candidate made a reserve for a village through one of its needs: who, when, for what."""

    need = models.ForeignKey(VillageNeed, verbose_name=_("village need"), on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="reserve_assignments")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("reserve assignment")
        verbose_name_plural = _("reserve assignments")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["need", "-created_at"], name="reserveassignment_need_time")]

    def __str__(self):
        return f"{self.candidate} → {self.need}"

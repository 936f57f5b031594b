"""Outreach (选得准): contacts and talks, the policy list and what was handed to whom."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_pool.access.scoping import ScopedQuerySet
from cadre_pool.models import (
    OrgUnit,
)
from candidates.models.files import Candidate, scoped


class ContactKind(models.TextChoices):
    VISIT = "visit", _("one-to-one visit")
    TALK = "talk", _("face-to-face talk")
    MEETING = "meeting", _("hometown-fellow meeting")


class ContactQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        return scoped(self, user)

    def for_list(self):
        return self.select_related("township", "recorded_by").prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.only("pk", "name").order_by("name"))
        )


class Contact(models.Model):
    """A visit, a talk or a hometown-fellow meeting with one or more candidates of a township."""

    township = models.ForeignKey(
        OrgUnit,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": OrgUnit.Level.TOWNSHIP},
    )
    kind = models.CharField(_("kind of contact"), max_length=10, choices=ContactKind)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    attendees = models.CharField(_("attended for the township"), max_length=200)
    candidates = models.ManyToManyField(Candidate, verbose_name=_("candidates met"), related_name="contacts")
    discussed = models.TextField(_("what was discussed"))
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_date = models.DateField(_("next step by"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contact log")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["visit", "talk", "meeting"]),
                name="contact_kind_valid",
                violation_error_message=_("Unknown kind of contact."),
            ),
            models.CheckConstraint(
                condition=Q(next_step_date__isnull=True) | Q(next_step_date__gte=F("date")),
                name="contact_next_step_after_contact",
                violation_error_message=_("The next step cannot be due before the contact."),
            ),
        ]
        indexes = [models.Index(fields=["township", "-date"], name="contact_township_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self):
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A contact cannot be logged for a future date.")})


# Policy list (S4) ---------------------------------------------------------------------------


class PolicyCategory(models.TextChoices):
    RETURN_SUBSIDY = "return_subsidy", _("return-to-post subsidy")
    BUSINESS_LOAN = "business_loan", _("business loan with interest subsidy")
    PROJECT_SUPPORT = "project_support", _("project support")
    TRAINING = "training", _("training and skills subsidy")
    OTHER = "other", _("other support")


def _ancestor_codes(unit: OrgUnit) -> list[str]:
    return [code for code in unit.path.split("/") if code]


class PolicyItemQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        """Items issued for the user's unit, above it (district, city) or below it (its townships)."""
        if not (user.is_authenticated and user.unit_id):
            return self.none()
        unit = user.unit
        return self.filter(Q(unit__path__startswith=unit.path) | Q(unit__code__in=_ancestor_codes(unit)))

    def applicable_to(self, township: OrgUnit):
        """Items a person of this township can claim: issued for it or for a unit above it."""
        return self.filter(unit__code__in=_ancestor_codes(township))

    def current(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(active=True, valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class PolicyItem(models.Model):
    """One item of the return-home incentive policy list (返乡创业优惠政策清单)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("applies in"), on_delete=models.PROTECT, related_name="policy_items"
    )
    category = models.CharField(_("category"), max_length=20, choices=PolicyCategory)
    title = models.CharField(_("title"), max_length=100)
    amount = models.CharField(_("amount or limit"), max_length=100, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = PolicyItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy item")
        verbose_name_plural = _("policy list")
        ordering = ["category", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=["return_subsidy", "business_loan", "project_support", "training", "other"]),
                name="policyitem_category_valid",
                violation_error_message=_("Unknown policy category."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="policyitem_valid_period",
                violation_error_message=_("A policy must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.title


class Uptake(models.TextChoices):
    HANDED = "handed", _("handed over")
    INTERESTED = "interested", _("interested")
    APPLIED = "applied", _("applied")
    GRANTED = "granted", _("granted")
    NOT_TAKEN = "not_taken", _("not taken")


class PolicyDeliveryQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        return scoped(self, user, "candidate__township")


class PolicyDelivery(models.Model):
    """A policy item handed to a candidate (at a contact), and what became of it."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="policy_deliveries")
    policy = models.ForeignKey(PolicyItem, verbose_name=_("policy item"), on_delete=models.PROTECT)
    contact = models.ForeignKey(
        Contact, verbose_name=_("handed at"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handed_on = models.DateField(_("handed on"))
    uptake = models.CharField(_("uptake"), max_length=12, choices=Uptake, default=Uptake.HANDED)
    amount_granted = models.DecimalField(
        _("amount granted (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uptake_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uptake recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PolicyDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy handed over")
        verbose_name_plural = _("policies handed over")
        ordering = ["policy__category", "policy__title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "policy"],
                name="policydelivery_once_per_candidate",
                violation_error_message=_("This policy item was already handed to this candidate."),
            ),
            models.CheckConstraint(
                condition=Q(uptake__in=["handed", "interested", "applied", "granted", "not_taken"]),
                name="policydelivery_uptake_valid",
                violation_error_message=_("Unknown uptake."),
            ),
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True) | (Q(uptake="granted") & Q(amount_granted__gte=0)),
                name="policydelivery_amount_only_when_granted",
                violation_error_message=_("An amount is recorded only for a granted policy, and is not negative."),
            ),
        ]

    def __str__(self):
        return f"{self.candidate} · {self.policy}"


# Village needs list (S5) --------------------------------------------------------------------

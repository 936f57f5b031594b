"""Cultivation (育得强): mentors, mentoring, growth plans, post placements, secondments and courses."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_pool.access.scoping import ScopedQuerySet, township_scope
from cadre_pool.models import OrgUnit
from cadre_pool.personal import mask_mobile
from candidates.identity import normalise_mobile, validate_mobile
from candidates.models import Candidate


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class CandidateRecordQuerySet(ScopedQuerySet):
    """Rows that belong to a candidate are visible exactly when the candidate is."""

    def _visible_to(self, user):
        scope = township_scope(user, "candidate__township")
        return self.none() if scope is None else self.filter(scope)


class CandidateRecord(models.Model):
    candidate = models.ForeignKey(Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CandidateRecordQuerySet.as_manager()

    class Meta:
        abstract = True


class MentorQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        scope = township_scope(user)
        return self.none() if scope is None else self.filter(scope)

    def with_load(self):
        return self.annotate(current_mentees=models.Count("assignments", filter=Q(assignments__end_date__isnull=True)))


class Mentor(models.Model):
    """成长导师: a person who coaches candidates; not necessarily a user of this system."""

    class Role(models.TextChoices):
        TOWNSHIP_CADRE = "township_cadre", _("township cadre")
        VILLAGE_SECRETARY = "village_secretary", _("village Party secretary")
        RETIRED_SECRETARY = "retired_secretary", _("retired village secretary")
        OTHER = "other", _("other")

    name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(_("mentor role"), max_length=20, choices=Role)
    work_unit = models.CharField(_("work unit and post"), max_length=100, blank=True)
    township = models.ForeignKey(
        OrgUnit,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="mentors",
        limit_choices_to={"level": OrgUnit.Level.TOWNSHIP},
    )
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    active = models.BooleanField(_("active"), default=True)
    capacity = models.PositiveSmallIntegerField(_("maximum mentees"), default=3, validators=[MinValueValidator(1)])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor_records",
    )

    objects = MentorQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["township__code", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="mentor_capacity_positive",
                violation_error_message=_("A mentor takes at least one mentee."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.phone = normalise_mobile(self.phone)
        if self.phone:
            try:
                validate_mobile(self.phone)
            except ValidationError as exc:
                raise ValidationError({"phone": exc.error_list}) from exc

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone)


class MentorAssignment(CandidateRecord):
    """导师帮带: one mentor coaching one candidate; a candidate may have several, exactly one the lead."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    mentor = models.ForeignKey(Mentor, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="assignments")
    is_lead = models.BooleanField(_("lead mentor"), default=False)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        ordering = ["-is_lead", "start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(is_lead=True, end_date__isnull=True),
                name="assignment_one_current_lead",
                violation_error_message=_("A candidate has exactly one lead mentor at a time."),
            ),
            models.UniqueConstraint(
                fields=["candidate", "mentor"],
                condition=Q(end_date__isnull=True),
                name="assignment_mentor_once",
                violation_error_message=_("This mentor already coaches this candidate."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assignment_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.candidate}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class MentoringLog(CandidateRecord):
    """帮带记录: what a mentor did with the candidate on one day."""

    class Kind(models.TextChoices):
        POLICY_STUDY = "policy_study", _("policy study")
        SPEAKING = "speaking", _("speaking practice")
        VILLAGERS_MEETING = "villagers_meeting", _("chairing a villagers' meeting")
        POLICY_TALK = "policy_talk", _("policy talk to villagers")
        MEDIATION = "mediation", _("dispute mediation")
        MASS_WORK = "mass_work", _("mass work")
        OTHER = "other", _("other")

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="mentoring_logs"
    )
    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="logs", null=True, blank=True
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    content = models.TextField(_("what was done"))
    mentor_comment = models.TextField(_("mentor's comment"), blank=True)

    class Meta:
        verbose_name = _("mentoring log")
        verbose_name_plural = _("mentoring logs")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["candidate", "-date"], name="mentoringlog_candidate_date")]

    def __str__(self):
        return f"{self.candidate} {self.date} {self.get_kind_display()}"

    def clean(self):
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A mentoring log cannot be dated in the future.")})


class PlanItem(CandidateRecord):
    """成长套餐: one item of a candidate's growth plan."""

    class Kind(models.TextChoices):
        MENTORING = "mentoring", _("mentoring")
        POST = "post", _("post training")
        SECONDMENT = "secondment", _("secondment")
        COURSE = "course", _("training course")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="plan_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    goal = models.CharField(_("goal"), max_length=200)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)

    class Meta:
        verbose_name = _("growth plan item")
        verbose_name_plural = _("growth plan items")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.goal

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_date < timezone.localdate()


class PostType(models.Model):
    """A kind of real post a candidate trains in; managed in the admin."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("post type")
        verbose_name_plural = _("post types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Placement(CandidateRecord):
    """岗位锻炼: the candidate holds a real post in a village, with written duties."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="placements"
    )
    post_type = models.ForeignKey(PostType, verbose_name=_("post"), on_delete=models.PROTECT)
    village = models.ForeignKey(
        OrgUnit,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": OrgUnit.Level.VILLAGE},
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    duties = models.TextField(_("duties"))
    evaluation = models.TextField(_("evaluation"), blank=True)
    plan_item = models.ForeignKey(
        PlanItem, verbose_name=_("plan item"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("post placement")
        verbose_name_plural = _("post placements")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "post_type"],
                condition=Q(end_date__isnull=True),
                name="placement_one_current_per_post_type",
                violation_error_message=_("The candidate already holds this post; end that placement first."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.candidate} · {self.post_type}"


class Secondment(CandidateRecord):
    """挂职历练: three to six months in a model or star village, full- or part-time."""

    class Mode(models.TextChoices):
        FULL_TIME = "full_time", _("full-time (全脱产)")
        PART_TIME = "part_time", _("part-time (半脱产)")

    class Approval(models.TextChoices):
        STANDARD = "standard", _("3 to 6 months")
        AWAITING = "awaiting", _("other length, awaiting district approval")
        APPROVED = "approved", _("other length, approved by the district")
        REFUSED = "refused", _("other length, refused by the district")

    MIN_MONTHS = 3
    MAX_MONTHS = 6

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="secondments"
    )
    host_village = models.ForeignKey(
        OrgUnit,
        verbose_name=_("host village"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": OrgUnit.Level.VILLAGE},
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    # Asked for by whoever plans it; only district staff decide (plan_secondment, decide_secondment_length).
    override_reason = models.CharField(_("reason for departing from 3–6 months"), max_length=200, blank=True)
    approval = models.CharField(_("length approval"), max_length=20, choices=Approval, default=Approval.STANDARD)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("length decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("length decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the length decision"), max_length=200, blank=True)
    learned = models.TextField(_("what was learned"), blank=True)
    host_evaluation = models.TextField(_("host village's evaluation"), blank=True)
    plan_item = models.ForeignKey(
        PlanItem, verbose_name=_("plan item"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A planned secondment called off before it began (the person left the pool): it never ran, so its
    # actual end is set to its planned start and every "current secondment" check stays one on actual_end.
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["-planned_start", "-pk"]
        # Who is on secondment now (the dashboard's cultivation figure asks per person).
        indexes = [models.Index(fields=["candidate"], condition=Q(actual_end__isnull=True), name="secondment_current")]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("planned_start")),
                name="secondment_end_after_start",
                violation_error_message=_("The planned end must be after the planned start."),
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["full_time", "part_time"]),
                name="secondment_mode_valid",
                violation_error_message=_("Unknown secondment mode."),
            ),
            models.CheckConstraint(
                condition=Q(approval__in=["standard", "awaiting", "approved", "refused"]),
                name="secondment_approval_valid",
                violation_error_message=_("Unknown length approval."),
            ),
            # An approved or refused length always says who decided, when and why.
            models.CheckConstraint(
                condition=~Q(approval__in=["approved", "refused"])
                | (Q(decided_by__isnull=False, decided_at__isnull=False) & ~Q(decision_reason="")),
                name="secondment_decision_recorded",
                violation_error_message=_("A length decision needs who decided, when and why."),
            ),
        ]

    def __str__(self):
        return f"{self.candidate} @ {self.host_village}"

    @property
    def within_standard_length(self) -> bool:
        earliest = add_months(self.planned_start, self.MIN_MONTHS)
        latest = add_months(self.planned_start, self.MAX_MONTHS)
        return earliest <= self.planned_end <= latest

    @property
    def is_current(self) -> bool:
        return self.actual_end is None and self.approval != self.Approval.REFUSED

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_on is not None

    def clean(self):
        super().clean()
        dated = self.planned_start and self.planned_end and self.planned_end > self.planned_start
        if dated and not self.within_standard_length and not self.override_reason.strip():
            raise ValidationError(
                {
                    "planned_end": _(
                        "A secondment lasts 3 to 6 months: from %(start)s the planned end must fall "
                        "between %(earliest)s and %(latest)s, or give the reason for another length "
                        "for district staff to approve."
                    )
                    % {
                        "start": self.planned_start.isoformat(),
                        "earliest": add_months(self.planned_start, self.MIN_MONTHS).isoformat(),
                        "latest": add_months(self.planned_start, self.MAX_MONTHS).isoformat(),
                    }
                }
            )
        if self.actual_end and self.planned_start and self.actual_end < self.planned_start:
            raise ValidationError({"actual_end": _("The end date cannot be before the start date.")})
        if self.actual_end and self.approval == self.Approval.REFUSED:
            raise ValidationError({"actual_end": _("A secondment whose length was refused never started.")})


class TrainingCourse(CandidateRecord):
    """A course the candidate attended."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="courses"
    )
    name = models.CharField(_("course name"), max_length=100)
    organiser = models.CharField(_("organised by"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)])
    result = models.CharField(_("result"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="course_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name

"""The information file (档案): the person, their work history, skills, and the pool statuses and events."""

import datetime
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_pool.access.scoping import ScopedQuerySet, township_scope
from cadre_pool.models import (
    PARTY_MEMBER_CODES,
    Degree,
    Education,
    Ethnicity,
    Gender,
    HealthStatus,
    OrgUnit,
    PoliticalStatus,
    Role,
)
from cadre_pool.personal import mask_id_number, mask_mobile
from candidates.completeness import incomplete_condition
from candidates.identity import (
    MOBILE_PATTERN,
    age_on,
    id_birth_date,
    id_gender_code,
    normalise_id_number,
    normalise_mobile,
    validate_id_number,
    validate_mobile,
    whole_number,
)


class SourceCategory(models.TextChoices):
    MIGRANT_BUSINESS = "migrant_business", _("migrant worker or business person")
    COLLEGE_GRADUATE = "college_graduate", _("local college graduate")
    VETERAN = "veteran", _("veteran")
    WEALTH_LEADER = "wealth_leader", _("local wealth leader")
    RETURNEE_ENTREPRENEUR = "returnee_entrepreneur", _("returnee entrepreneur")
    VILLAGE_CADRE = "village_cadre", _("village (community) cadre")
    OTHER = "other", _("other")


class Willingness(models.TextChoices):
    YES = "yes", _("willing to return")
    CONSIDERING = "considering", _("considering")
    NO = "no", _("not willing")


class SkillTag(models.Model):
    """A term of the managed vocabulary of industry experience and professional skills."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("industry experience")
        PROFESSIONAL = "professional", _("professional skill")

    name = models.CharField(_("name"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("skill tag")
        verbose_name_plural = _("skill tags")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["industry", "professional"]),
                name="skilltag_kind_valid",
                violation_error_message=_("Unknown kind of skill tag."),
            ),
        ]

    def __str__(self):
        return self.name


class PoolStatus(models.TextChoices):
    PROSPECT = "prospect", _("prospect")
    CONTACTED = "contacted", _("contacted")
    WILLING = "willing", _("willing")
    FILED = "filed", _("filed")
    PROPOSED = "proposed", _("proposed for the pool")
    IN_POOL = "in_pool", _("in pool")
    PROMOTED = "promoted", _("promoted")
    EXITED = "exited", _("exited")


# Where a candidate may go next from each status. The funnel steps up to the
# proposal are the organiser's; entering the pool (confirming or rejecting the
# proposal), promotion and exit are decisions for district staff.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    PoolStatus.PROSPECT: (PoolStatus.CONTACTED, PoolStatus.EXITED),
    PoolStatus.CONTACTED: (PoolStatus.WILLING, PoolStatus.EXITED),
    PoolStatus.WILLING: (PoolStatus.FILED, PoolStatus.EXITED),
    PoolStatus.FILED: (PoolStatus.PROPOSED, PoolStatus.EXITED),
    # Confirmed, or rejected back to "filed" with a reason.
    PoolStatus.PROPOSED: (PoolStatus.IN_POOL, PoolStatus.FILED),
    PoolStatus.IN_POOL: (PoolStatus.PROMOTED, PoolStatus.EXITED),
    PoolStatus.PROMOTED: (),
    # An exited person may come back through the intake funnel, history kept.
    PoolStatus.EXITED: (PoolStatus.PROSPECT,),
}
DECISION_STATUSES = frozenset({PoolStatus.IN_POOL, PoolStatus.PROMOTED, PoolStatus.EXITED})
# People no longer in the pipeline: nothing on the to-do list is about them.
LEFT_THE_POOL = (PoolStatus.PROMOTED, PoolStatus.EXITED)
# The intake funnel in order, as the funnel page shows it.
FUNNEL_STAGES = (
    PoolStatus.PROSPECT,
    PoolStatus.CONTACTED,
    PoolStatus.WILLING,
    PoolStatus.FILED,
    PoolStatus.PROPOSED,
    PoolStatus.IN_POOL,
)
# Steps that read better named as actions than as target statuses.
TRANSITION_LABELS = {
    (PoolStatus.FILED, PoolStatus.PROPOSED): _("propose pool entry"),
    (PoolStatus.PROPOSED, PoolStatus.IN_POOL): _("confirm pool entry"),
    (PoolStatus.PROPOSED, PoolStatus.FILED): _("reject the proposal (back to filed)"),
}


def is_decision(current: str, target: str) -> bool:
    """Whether moving from `current` to `target` is a decision only district staff may take."""
    return target in DECISION_STATUSES or (current, target) == (PoolStatus.PROPOSED, PoolStatus.FILED)


def needs_reason(current: str, target: str) -> bool:
    return target == PoolStatus.EXITED or (current, target) == (PoolStatus.PROPOSED, PoolStatus.FILED)


def allowed_next_statuses(current: str, user, *, decisions: bool = False) -> list[str]:
    """Where this user may move a candidate. Leaving the pool (promotion, removal) is a recorded
    decision with its own page, so it is offered only when `decisions` is asked for."""
    options = NEXT_STATUSES.get(current, ())
    if current == PoolStatus.IN_POOL and not decisions:
        options = ()
    if not user.can_decide:
        options = tuple(s for s in options if not is_decision(current, s))
    return list(options) if user.can_write_candidates else []


def scoped(queryset, user, township_field: str = "township"):
    """The one scoping rule (cadre_pool.access.scoping.township_scope) applied to a queryset.

    Candidates scope by their township; contacts, policy deliveries and village needs by theirs
    (`township_field` names the path to it, e.g. "candidate__township").
    """
    scope = township_scope(user, township_field)
    return queryset.none() if scope is None else queryset.filter(scope)


def years_ago(years: int, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class CandidateQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        """The one scoping rule for candidates: a user sees the candidates of their unit's subtree."""
        return scoped(self, user)

    def aged(self, *, at_least: int | None = None, at_most: int | None = None, today: datetime.date | None = None):
        """Candidates whose age today lies in the band (either end may be open); an indexable date range."""
        queryset = self
        if at_least is not None:
            # Age ≥ n: born on or before the date n years ago.
            queryset = queryset.filter(birth_date__lte=years_ago(at_least, today))
        if at_most is not None:
            # Age ≤ n: born after the date n + 1 years ago.
            queryset = queryset.filter(birth_date__gt=years_ago(at_most + 1, today))
        return queryset

    def search(self, text: str):
        """Name, pinyin initials ("zxl" finds 祝心灵), a village, a whole ID or phone number, or a
        name with the last four digits of either ("张明阳 0518").

        ID and phone numbers are never matched by a fragment: a list that answers "which files contain
        511902" lets anyone who may search rebuild a whole number digit by digit (S11).
        """
        value = unicodedata.normalize("NFKC", text).strip()
        if not value:
            return self
        number = whole_number(value)
        if number:
            return self.filter(phone=number) if MOBILE_PATTERN.match(number) else self.filter(id_number=number)
        queryset = self
        run = re.search(r"\d[\dXx]*", value)
        if run:
            digits, words = run.group().upper(), (value[: run.start()] + value[run.end() :]).strip(" -")
            if len(digits) != 4 or not words or re.search(r"\d", words):
                return self.none()
            queryset = self.filter(Q(id_number__endswith=digits) | Q(phone__endswith=digits))
            value = words
        letters = value.replace(" ", "").lower()
        if letters.isascii() and letters.isalpha():
            # Each reading of the name is a space-separated variant: match the start of any of them.
            return queryset.filter(Q(name_initials__startswith=letters) | Q(name_initials__contains=f" {letters}"))
        return queryset.filter(
            Q(name__contains=value) | Q(village__name__contains=value) | Q(village__short_name__contains=value)
        )

    def awaiting_decision(self):
        """Pool-entry proposals, oldest first, each with the proposal event (who, when, note)."""
        return (
            self.filter(status=PoolStatus.PROPOSED)
            .select_related("township", "village")
            .prefetch_related(
                Prefetch(
                    "events",
                    queryset=PoolEvent.objects.filter(to_status=PoolStatus.PROPOSED)
                    .select_related("actor")
                    .order_by("-created_at", "-pk"),
                    to_attr="proposal_events",
                )
            )
            .order_by("updated_at", "pk")
        )

    def incomplete(self):
        """Files that lack something an information file should hold (candidates.completeness)."""
        return self.filter(incomplete_condition())

    def for_list(self):
        return self.select_related("township", "village", "gender", "political_status", "education")

    def for_detail(self):
        return self.select_related("township", "village", "target_village", *CODE_TABLE_FIELDS)


# Party constitution, article 1: members are admitted from 18 years of age.
PARTY_ENTRY_MIN_AGE = 18

CODE_TABLE_FIELDS = (
    "gender",
    "ethnicity",
    "political_status",
    "education",
    "fulltime_education",
    "inservice_education",
    "degree",
    "health",
)


class Candidate(models.Model):
    """One reserve candidate's information file (信息档案).

    Foreign keys carry no index of their own (db_index=False): the township, village and target village
    lead the composite indexes in Meta, and a code-table key (two or a few dozen values over a million
    files) is never searched alone; each of the 19 indexes that Django would add cost every new file a
    write (an import of 10,000 files spent seconds on them). Deleting a code-table entry, which PROTECT
    checks with a scan, is a rare administrator's act.
    """

    name = models.CharField(_("full name"), max_length=50)
    # Pinyin initials of the name ("zxl cxl" for 祝心灵), set by the services for search.
    name_initials = models.CharField(_("pinyin initials"), max_length=120, blank=True, editable=False)
    gender = models.ForeignKey(Gender, verbose_name=_("gender"), on_delete=models.PROTECT, db_index=False)
    ethnicity = models.ForeignKey(Ethnicity, verbose_name=_("ethnicity"), on_delete=models.PROTECT, db_index=False)
    birth_date = models.DateField(_("birth date"))
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    # A roster often lacks a phone for people working away: the file is then incomplete
    # (candidates.completeness), and the edit form asks for it.
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    political_status = models.ForeignKey(
        PoliticalStatus, verbose_name=_("political status"), on_delete=models.PROTECT, db_index=False
    )
    party_entry_date = models.DateField(_("party entry date"), null=True, blank=True)
    education = models.ForeignKey(Education, verbose_name=_("education"), on_delete=models.PROTECT, db_index=False)
    source_category = models.CharField(_("source category"), max_length=30, choices=SourceCategory)
    township = models.ForeignKey(
        OrgUnit,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="township_candidates",
        limit_choices_to={"level": OrgUnit.Level.TOWNSHIP},
        db_index=False,
    )
    village = models.ForeignKey(
        OrgUnit,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="village_candidates",
        limit_choices_to={"level": OrgUnit.Level.VILLAGE},
        null=True,
        blank=True,
        db_index=False,
    )
    target_village = models.ForeignKey(
        OrgUnit,
        verbose_name=_("target village"),
        on_delete=models.PROTECT,
        related_name="target_candidates",
        limit_choices_to={"level": OrgUnit.Level.VILLAGE},
        null=True,
        blank=True,
        db_index=False,
    )
    native_place = models.CharField(_("native place"), max_length=50, blank=True)
    current_city = models.CharField(_("where working or in business now"), max_length=50, blank=True)
    employer = models.CharField(_("employer or business"), max_length=100, blank=True)
    occupation = models.CharField(_("industry and occupation"), max_length=100, blank=True)
    fulltime_education = models.ForeignKey(
        Education,
        verbose_name=_("full-time education"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )
    fulltime_school = models.CharField(_("full-time school"), max_length=100, blank=True)
    fulltime_major = models.CharField(_("full-time major"), max_length=100, blank=True)
    inservice_education = models.ForeignKey(
        Education,
        verbose_name=_("in-service education"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )
    inservice_school = models.CharField(_("in-service school"), max_length=100, blank=True)
    inservice_major = models.CharField(_("in-service major"), max_length=100, blank=True)
    degree = models.ForeignKey(
        Degree, verbose_name=_("degree"), on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    health = models.ForeignKey(
        HealthStatus, verbose_name=_("health"), on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    rewards_punishments = models.TextField(_("rewards and punishments"), blank=True)
    willingness = models.CharField(_("willing to return home"), max_length=20, choices=Willingness, blank=True)
    skills = models.ManyToManyField(SkillTag, verbose_name=_("industry experience and skills"), blank=True)
    skills_other = models.CharField(_("other experience and skills"), max_length=200, blank=True)
    # Derived by the services from the two fields above; reports count it.
    has_industry_skill = models.BooleanField(
        _("has industry experience or professional skill"), default=False, editable=False
    )
    status = models.CharField(_("pool status"), max_length=20, choices=PoolStatus, default=PoolStatus.PROSPECT)
    # Whether a mentor, a post or a secondment is current, kept by the mentorship services in the
    # transaction that starts or ends the record: the dashboard counts them from the list index
    # instead of probing three tables per person in scope.
    has_current_mentor = models.BooleanField(_("has a current mentor"), default=False, editable=False)
    has_current_post = models.BooleanField(_("has a current post"), default=False, editable=False)
    has_current_secondment = models.BooleanField(_("has a current secondment"), default=False, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    # Optimistic concurrency: an edit must name the version it started from.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
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
                condition=Q(willingness__in=["", *Willingness.values]),
                name="candidate_willingness_valid",
                violation_error_message=_("Unknown answer about returning home."),
            ),
            models.CheckConstraint(
                condition=Q(party_entry_date__isnull=True) | Q(party_entry_date__gt=F("birth_date")),
                name="candidate_party_entry_after_birth",
                violation_error_message=_("The party entry date must be after the birth date."),
            ),
        ]
        indexes = [
            # The list filtered by township and status in name order, and (index-only, through the
            # included columns) the scope of every report and the dashboard's figures.
            models.Index(
                fields=["township", "status", "name", "id"],
                include=[
                    "source_category",
                    "gender",
                    "political_status",
                    "education",
                    "birth_date",
                    "has_industry_skill",
                    "target_village",
                    "has_current_mentor",
                    "has_current_post",
                    "has_current_secondment",
                ],
                name="candidate_township_list",
            ),
            # A township's list in name order whatever the status; the list by status across a scope.
            models.Index(fields=["township", "name", "id"], name="candidate_township_name"),
            models.Index(fields=["status", "name", "id"], name="candidate_status_list"),
            models.Index(fields=["village"], name="candidate_village"),
            models.Index(fields=["target_village", "status"], name="candidate_target_village"),
            models.Index(fields=["name_initials"], name="candidate_name_initials"),
            # A search by a whole phone number (ID numbers are unique, so indexed already).
            models.Index(fields=["phone"], name="candidate_phone"),
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
            # The party constitution admits members from the age of 18; an earlier date is a typo.
            if (
                self.birth_date
                and self.political_status_id in PARTY_MEMBER_CODES  # otherwise the date is refused already
                and self.party_entry_date > self.birth_date
                and age_on(self.birth_date, self.party_entry_date) < PARTY_ENTRY_MIN_AGE
            ):
                message = _(
                    "On the party entry date %(date)s the person was %(age)d; members join at %(min)d or older."
                )
                errors.setdefault("party_entry_date", []).append(
                    ValidationError(
                        message,
                        code="party_entry_too_young",
                        params={
                            "date": self.party_entry_date.isoformat(),
                            "age": age_on(self.birth_date, self.party_entry_date),
                            "min": PARTY_ENTRY_MIN_AGE,
                        },
                    )
                )
        if self.birth_date and self.birth_date >= today:
            errors.setdefault("birth_date", []).append(
                ValidationError(_("The birth date must be in the past."), code="birth_future")
            )
        # The home village lies in the file's township; a target village may lie elsewhere in the district.
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
        return age_on(self.birth_date, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def above_age_bound(self) -> bool:
        """Older than the bound for new entries: a warning for the organiser, not a block."""
        return self.age > settings.CANDIDATE_MAX_AGE


class WorkHistoryEntry(models.Model):
    """One line of the candidate's CV (简历): from–to, unit, role."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="work_history")
    start = models.DateField(_("from (date)"))
    end = models.DateField(_("to (date)"), null=True, blank=True, help_text=_("Leave empty while current."))
    unit = models.CharField(_("unit"), max_length=100)
    role = models.CharField(_("position"), max_length=100)

    class Meta:
        verbose_name = _("work history entry")
        verbose_name_plural = _("work history")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="workhistory_end_after_start",
                violation_error_message=_("A period must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.start:%Y-%m}–{self.end:%Y-%m}" if self.end else f"{self.start:%Y-%m}–"


def validate_work_history(entries: list[dict], *, birth_date: datetime.date | None) -> None:
    """Periods in order: each ends after it starts, none before birth or in the future, none overlapping."""
    today = timezone.localdate()
    errors = []
    ordered = sorted(entries, key=lambda e: e["start"])
    for index, entry in enumerate(ordered):
        start, end = entry["start"], entry.get("end")
        if end is not None and end < start:
            errors.append(_("%(unit)s: the period ends before it starts.") % {"unit": entry["unit"]})
        if start > today or (end is not None and end > today):
            errors.append(_("%(unit)s: the period lies in the future.") % {"unit": entry["unit"]})
        if birth_date and start <= birth_date:
            errors.append(_("%(unit)s: the period starts before the birth date.") % {"unit": entry["unit"]})
        if index and (ordered[index - 1].get("end") is None or ordered[index - 1]["end"] > start):
            errors.append(
                _("%(unit)s: the period overlaps the one before (%(previous)s).")
                % {"unit": entry["unit"], "previous": ordered[index - 1]["unit"]}
            )
    if errors:
        raise ValidationError(errors)


class PoolEventQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        # A file never changes township, so its events are in scope exactly when the file is.
        scope = township_scope(user)
        return self.none() if scope is None else self.filter(scope)


class PoolEvent(models.Model):
    """One movement of a candidate through the pool: who, when, why, approved by whom."""

    # No index of its own: poolevent_candidate_time leads with the candidate.
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="events", db_index=False
    )
    # The candidate's township (a file never changes township), copied so that a scope's movements
    # are a range scan of its townships' events rather than a probe per person.
    township = models.ForeignKey(
        OrgUnit, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+", editable=False
    )
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

    objects = PoolEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("pool event")
        verbose_name_plural = _("pool events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["candidate", "-created_at"], name="poolevent_candidate_time"),
            # Entries, promotions and exits by month (the dashboard): the decisions of the townships in
            # scope, answered from the index.
            models.Index(
                fields=["township", "created_at"],
                include=["to_status"],
                condition=Q(to_status__in=["in_pool", "promoted", "exited"]),
                name="poolevent_township_decisions",
            ),
        ]

    def __str__(self):
        return f"{self.candidate}: {self.get_from_status_display()} → {self.get_to_status_display()}"


# Contact log (S3) ---------------------------------------------------------------------------

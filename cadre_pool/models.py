"""Organisation units, users and roles, and the national code tables."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadre_pool.storage import private_storage


class OrgUnitQuerySet(models.QuerySet):
    def townships(self):
        return self.filter(level=OrgUnit.Level.TOWNSHIP)

    def villages(self):
        return self.filter(level=OrgUnit.Level.VILLAGE)

    def within(self, unit: "OrgUnit"):
        """The unit itself and everything below it."""
        return self.filter(path__startswith=unit.path)

    def visible_to(self, user):
        if not user.is_authenticated or user.unit_id is None:
            return self.none()
        return self.within(user.unit)


class OrgUnit(models.Model):
    """A node of the organisation tree: province → city → district → township → village."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        DISTRICT = "district", _("district or county")
        TOWNSHIP = "township", _("township or street")
        VILLAGE = "village", _("village or community")

    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("A division code has exactly 12 digits."))],
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Codes of all ancestors and this unit, "511903000000/511903100000/": a
    # subtree is one indexed prefix match, whatever the depth.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    is_model_village = models.BooleanField(_("model village (示范村)"), default=False)
    is_star_village = models.BooleanField(_("star village (明星村)"), default=False)
    active = models.BooleanField(_("active"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["province", "city", "district", "township", "village"]),
                name="orgunit_level_valid",
                violation_error_message=_("Unknown organisation level."),
            ),
        ]
        indexes = [
            models.Index(fields=["level", "parent"], name="orgunit_level_parent"),
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.code}/"


class Role(models.TextChoices):
    ORGANISER = "organiser", _("township organiser")
    DISTRICT_STAFF = "district_staff", _("district staff")
    DISTRICT_LEADER = "district_leader", _("district leader (read-only)")
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")


# Roles that read candidate files; the others manage accounts or audit only.
CANDIDATE_READERS = frozenset({Role.ORGANISER, Role.DISTRICT_STAFF, Role.DISTRICT_LEADER})
CANDIDATE_WRITERS = frozenset({Role.ORGANISER, Role.DISTRICT_STAFF})
DECIDERS = frozenset({Role.DISTRICT_STAFF})


class User(AbstractUser):
    """An account bound to one organisation unit; it sees that unit's subtree."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["organiser", "district_staff", "district_leader", "system_admin", "audit_admin"]),
                name="user_role_valid",
                violation_error_message=_("Unknown role."),
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["organiser", "district_staff", "district_leader"]) | Q(unit__isnull=False),
                name="user_scoped_role_has_unit",
                violation_error_message=_("Organisers, district staff and leaders must belong to a unit."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.role == Role.ORGANISER and self.unit_id and self.unit.level != OrgUnit.Level.TOWNSHIP:
            raise ValidationError({"unit": _("A township organiser must be bound to a township.")})
        if (
            self.role in {Role.DISTRICT_STAFF, Role.DISTRICT_LEADER}
            and self.unit_id
            and self.unit.level in {OrgUnit.Level.TOWNSHIP, OrgUnit.Level.VILLAGE}
        ):
            raise ValidationError({"unit": _("District staff and leaders must be bound to a district or above.")})

    @property
    def can_read_candidates(self) -> bool:
        return self.is_active and self.role in CANDIDATE_READERS

    @property
    def can_write_candidates(self) -> bool:
        return self.is_active and self.role in CANDIDATE_WRITERS

    @property
    def can_decide(self) -> bool:
        return self.is_active and self.role in DECIDERS

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER

    @property
    def can_reveal_identity(self) -> bool:
        """May ask for full ID numbers and phones (each request is audited)."""
        return self.is_active and self.role in CANDIDATE_WRITERS


class CodeTableEntry(models.Model):
    """A row of a national code table: we store the code and show the name."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.short_name or self.name


class Gender(CodeTableEntry):
    class Meta(CodeTableEntry.Meta):
        verbose_name = _("gender (GB/T 2261.1)")
        verbose_name_plural = _("genders (GB/T 2261.1)")


class Ethnicity(CodeTableEntry):
    class Meta(CodeTableEntry.Meta):
        verbose_name = _("ethnicity (GB/T 3304)")
        verbose_name_plural = _("ethnicities (GB/T 3304)")


class PoliticalStatus(CodeTableEntry):
    class Meta(CodeTableEntry.Meta):
        verbose_name = _("political status (GB/T 4762)")
        verbose_name_plural = _("political statuses (GB/T 4762)")

    @property
    def is_party_member(self) -> bool:
        return self.code in PARTY_MEMBER_CODES


# 01 中共党员, 02 中共预备党员: the statuses that carry a party-entry date.
PARTY_MEMBER_CODES = frozenset({"01", "02"})


class Education(CodeTableEntry):
    class Meta(CodeTableEntry.Meta):
        verbose_name = _("education (GB/T 4658)")
        verbose_name_plural = _("education levels (GB/T 4658)")


class Degree(CodeTableEntry):
    class Meta(CodeTableEntry.Meta):
        verbose_name = _("degree (GB/T 6864)")
        verbose_name_plural = _("degrees (GB/T 6864)")


class HealthStatus(CodeTableEntry):
    class Meta(CodeTableEntry.Meta):
        verbose_name = _("health (GB/T 2261.3)")
        verbose_name_plural = _("health statuses (GB/T 2261.3)")


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        # An export holds personal data: only the person who asked for it may see it.
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Export(models.Model):
    """A workbook built in the background for a large list; the page shows its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=30)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename or self.kind

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.written / self.total)) if self.total else 0

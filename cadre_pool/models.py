"""Organisation units, users and their second factor, the national code tables and exports.

The audit trail's models live in cadre_pool.audit.models and the roles in cadre_pool.roles, so that
the scoping rule can write audit rows without importing this module; they are imported here for
Django and for code that reads every base model from one place.
"""

import re
import unicodedata

from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from cadre_pool.access.scoping import ScopedQuerySet
from cadre_pool.audit.models import AuditAction, AuditEvent  # noqa: F401 - read from here too
from cadre_pool.roles import CANDIDATE_READERS, CANDIDATE_WRITERS, DECIDERS, Role
from cadre_pool.storage import private_storage


class OrgUnitQuerySet(ScopedQuerySet):
    def townships(self):
        return self.filter(level=OrgUnit.Level.TOWNSHIP)

    def villages(self):
        return self.filter(level=OrgUnit.Level.VILLAGE)

    def within(self, unit: "OrgUnit"):
        """The unit itself and everything below it."""
        return self.filter(path__startswith=unit.path)

    def _visible_to(self, user):
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
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True)
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

    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, editable=False)
    # Set when an administrator chose the password (new account, reset): its owner replaces it first (S2).
    must_change_password = models.BooleanField(_("must change password at next sign-in"), default=False)

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

    def get_session_auth_hash(self):
        return self.session_auth_hash()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self.session_auth_hash(secret=fallback_secret)

    def session_auth_hash(self, secret=None) -> str:
        """Django ends a session whose stored hash no longer matches. Besides the password, the hash
        covers what decides what the user may see: disabling the account or moving it to another
        unit or role ends every session it has (S4)."""
        return salted_hmac(
            "cadre_pool.User.get_session_auth_hash",
            f"{self.password}|{self.role}|{self.unit_id}|{self.is_active}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

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
    parent = models.ForeignKey(
        "self", verbose_name=_("parent entry"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
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


class CodeSynonym(models.Model):
    """A short or common name that people write for a code-table value ("大专" for 大学专科毕业).

    Imports match a value by its code, its name, its short name and these synonyms. Source
    categories are choices of the candidate file, not a table here, so `code` is checked by the
    importer rather than by a foreign key.
    """

    class Table(models.TextChoices):
        GENDER = "gender", _("gender")
        ETHNICITY = "ethnicity", _("ethnicity")
        POLITICAL_STATUS = "political_status", _("political status")
        EDUCATION = "education", _("education")
        DEGREE = "degree", _("degree")
        HEALTH = "health", _("health")
        SOURCE_CATEGORY = "source_category", _("source category")

    table = models.CharField(_("code table"), max_length=30, choices=Table)
    code = models.CharField(_("code"), max_length=30)
    synonym = models.CharField(_("synonym"), max_length=50)

    class Meta:
        verbose_name = _("code-table synonym")
        verbose_name_plural = _("code-table synonyms")
        ordering = ["table", "code", "synonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "synonym"],
                name="codesynonym_unique_per_table",
                violation_error_message=_("This synonym already stands for a value of this table."),
            ),
        ]

    def __str__(self):
        return f"{self.synonym} → {self.code}"

    def clean(self):
        super().clean()
        # Compared as the importer compares cells: full-width forms folded, spaces dropped.
        self.synonym = re.sub(r"\s+", "", unicodedata.normalize("NFKC", self.synonym or ""))
        model = CODE_SYNONYM_TABLES.get(self.table)
        if model is not None and self.code and not model.objects.filter(code=self.code).exists():
            raise ValidationError(
                {
                    "code": _("%(table)s has no code “%(code)s”.")
                    % {"table": self.get_table_display(), "code": self.code}
                }
            )


CODE_SYNONYM_TABLES = {
    CodeSynonym.Table.GENDER: Gender,
    CodeSynonym.Table.ETHNICITY: Ethnicity,
    CodeSynonym.Table.POLITICAL_STATUS: PoliticalStatus,
    CodeSynonym.Table.EDUCATION: Education,
    CodeSynonym.Table.DEGREE: Degree,
    CodeSynonym.Table.HEALTH: HealthStatus,
}


class ExportQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
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


# ---------------------------------------------------------------------------
# Security: audit trail, password history, login lockout.
# ---------------------------------------------------------------------------


class PasswordHistory(models.Model):
    """Hashes of a user's recent passwords, so that the last `PASSWORD_HISTORY_COUNT` are not reused (S2)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="passwordhistory_user_time")]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class LoginLock(models.Model):
    """Failed sign-ins per username (S3): `LOGIN_FAILURE_LIMIT` in a row lock it for `LOGIN_LOCKOUT_MINUTES`.

    Keyed by the lower-cased username typed, whether or not such an account exists, so that the
    answer never tells an outsider which usernames are real.
    """

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")
        ordering = ["-locked_until", "username"]

    def __str__(self):
        return self.username

    def is_locked(self, now=None) -> bool:
        now = now or timezone.now()
        return self.locked_until is not None and self.locked_until > now

    is_locked.boolean = True
    is_locked.short_description = _("locked")


class OTPDevice(ThrottlingMixin, Device):
    """A user's TOTP authenticator (S5). Unconfirmed until the first correct code.

    django-otp's abstract device gives the verification protocol and its throttling (a wrong code
    doubles the wait before the next try); the secret is kept Fernet-encrypted (cadre_pool.accounts.otp).
    """

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="otp_device")
    # One authenticator per user, and confirmed_at says both whether and when: Device's name and
    # confirmed flag would only repeat that.
    name = None
    confirmed = None
    encrypted_secret = models.TextField(_("secret key, encrypted"))
    # ThrottlingMixin's fields, with labels the admin can show in Chinese.
    throttling_failure_timestamp = models.DateTimeField(_("last wrong code at"), null=True, blank=True, default=None)
    throttling_failure_count = models.PositiveIntegerField(_("wrong codes in a row"), default=0)
    # The last time step whose code was accepted: that code and every older one are refused from then on.
    last_step = models.BigIntegerField(_("last time step used"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self):
        return str(self.user)

    @property
    def secret(self) -> str:
        """The base32 secret, decrypted with OTP_ENCRYPTION_KEY (InvalidToken if the key changed)."""
        return Fernet(settings.OTP_ENCRYPTION_KEY).decrypt(self.encrypted_secret.encode()).decode()

    @secret.setter
    def secret(self, value: str) -> None:
        self.encrypted_secret = Fernet(settings.OTP_ENCRYPTION_KEY).encrypt(value.encode()).decode()

    def get_throttle_factor(self):
        # While enrolling, the secret is on the user's screen: there is nothing to guess.
        return settings.OTP_THROTTLE_FACTOR if self.confirmed_at is not None else 0


class RecoveryCode(models.Model):
    """A one-time recovery code for a lost authenticator; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self):
        return f"{self.user} #{self.pk}"

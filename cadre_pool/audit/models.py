"""The audit trail (S9): one append-only row per thing that happened."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_pool.roles import Role


class AuditAction(models.TextChoices):
    """What an audit row records. Add a code here before recording it (record() refuses unknown codes)."""

    LOGIN_SUCCESS = "login.success", _("signed in")
    LOGIN_FAILURE = "login.failure", _("sign-in failed")
    LOGIN_LOCKOUT = "login.lockout", _("account locked after failed sign-ins")
    LOGIN_REFUSED_LOCKED = "login.refused_locked", _("sign-in refused: account locked")
    LOGOUT = "logout", _("signed out")
    SESSION_EXPIRED = "session.expired", _("session ended (absolute time limit)")
    ACCOUNT_UNLOCK = "account.unlock", _("account unlocked")
    PASSWORD_CHANGE = "password.change", _("password changed")
    OTP_ENROL = "otp.enrol", _("authenticator enrolled")
    OTP_VERIFY = "otp.verify", _("second factor checked")
    OTP_REMOVE = "otp.remove", _("authenticator removed")
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    POOL_MOVE = "pool.move", _("pool status changed")
    DECISION = "decision", _("decision taken")
    EXPORT = "export", _("exported")
    IMPORT = "import", _("imported")
    REVEAL = "reveal", _("full personal data revealed")
    SEARCH_IDENTITY = "search.identity", _("searched by a whole ID or phone number")
    ACCESS_DENIED = "access.denied", _("access refused")
    AUDIT_EXPORT = "audit.export", _("audit log exported")
    AUDIT_PRUNE = "audit.prune", _("old audit rows pruned")


class AuditEvent(models.Model):
    """One append-only row of the audit trail (S9, S10). Written only through `cadre_pool.audit.record`.

    The actor is a plain id with a name and role snapshot, not a foreign key: deleting or renaming an
    account must never touch (or cascade into) the audit rows. On PostgreSQL a trigger refuses UPDATE,
    DELETE and TRUNCATE; see docs/security.md.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=200, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    success = models.BooleanField(_("success"), default=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    extra = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Retention class: rows about processing personal information are kept three years, others 184 days.
    personal_info = models.BooleanField(_("personal-information processing record"), default=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-created_at"], name="audit_object_time"),
            models.Index(fields=["action", "-created_at"], name="audit_action_time"),
            models.Index(fields=["actor_id", "-created_at"], name="audit_actor_time"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only; only `manage.py prune_audit` removes old rows.")

    @property
    def actor_role_label(self) -> str:
        return Role(self.actor_role).label if self.actor_role in Role.values else self.actor_role

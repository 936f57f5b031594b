"""The five roles and which of them read, write and decide on candidate files."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

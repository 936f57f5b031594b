from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cadre_pool.models import Role

ADMIN_ROLES = frozenset({Role.ORGANISER, Role.DISTRICT_STAFF, Role.SYSTEM_ADMIN})


class CadreAdminSite(admin.AdminSite):
    site_header = _("Cadre Pool administration")
    site_title = _("Cadre Pool")
    index_title = _("Administration")

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.role in ADMIN_ROLES)

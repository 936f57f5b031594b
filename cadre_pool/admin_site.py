from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
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

    def login(self, request, extra_context=None):
        # One sign-in page for everyone: ours, with the lockout rule, its message and the audit rows.
        if request.user.is_authenticated:
            raise PermissionDenied  # signed in without admin rights: no redirect loop through the sign-in page
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name))

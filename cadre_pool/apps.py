from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CadrePoolConfig(AppConfig):
    default = True
    name = "cadre_pool"
    verbose_name = _("Organisation and accounts")

    def ready(self):
        from cadre_pool import roster  # noqa: F401 - registers the roster export


class CadreAdminConfig(admin_apps.AdminConfig):
    default = False
    # Our admin site decides who may enter by role, not by is_staff alone.
    default_site = "cadre_pool.admin_site.CadreAdminSite"

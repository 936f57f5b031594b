from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CadrePoolConfig(AppConfig):
    default = True
    name = "cadre_pool"
    verbose_name = _("Organisation and accounts")

    def ready(self):
        from django.contrib.auth import signals

        from cadre_pool.accounts import auth
        from cadre_pool.org import choices as org_choices  # noqa: F401 - org_choices connects its cache invalidation

        # Authentication audit rows and session bookkeeping (S3, S4, S9).
        signals.user_logged_in.connect(auth.on_logged_in, dispatch_uid="cadre_audit_login")
        signals.user_logged_out.connect(auth.on_logged_out, dispatch_uid="cadre_audit_logout")
        signals.user_login_failed.connect(auth.on_login_failed, dispatch_uid="cadre_audit_login_failed")


class CadreAdminConfig(admin_apps.AdminConfig):
    default = False
    # Our admin site decides who may enter by role, not by is_staff alone.
    default_site = "cadre_pool.admin_site.CadreAdminSite"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """What reads across every app: dashboard, statistics, roster, registration form, to-do list, file page."""

    name = "reports"
    verbose_name = _("Reports")

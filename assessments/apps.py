from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Management (管得活): assessments, look-back reviews and decisions arrive with the management issue."""

    name = "assessments"
    verbose_name = _("Management")

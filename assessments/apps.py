from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Management and use (管得活、用得好): assessments, look-back reviews, decisions."""

    name = "assessments"
    verbose_name = _("Management")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Management and use (管得活、用得好): assessments, look-back reviews, decisions."""

    name = "assessments"
    verbose_name = _("Management")

    def ready(self):
        # Registers the management panel, timeline entries and to-do items with cadre_pool.
        from assessments import exports, hooks  # noqa: F401

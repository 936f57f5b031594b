from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    """Cultivation (育得强): mentors, mentoring logs, growth plans, placements, secondments, courses."""

    name = "mentorship"
    verbose_name = _("Cultivation")

    def ready(self):
        # Registers the cultivation panel, timeline entries and to-do items with cadre_pool.
        from mentorship import exports, hooks  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    """Cultivation (育得强): mentors, placements and secondments arrive with the cultivation issue."""

    name = "mentorship"
    verbose_name = _("Cultivation")

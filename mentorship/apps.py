from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    """Cultivation (育得强): mentors, mentoring logs, growth plans, placements, secondments, courses."""

    name = "mentorship"
    verbose_name = _("Cultivation")

    def ready(self):
        from django.db.models.signals import post_migrate

        from mentorship.reference import post_types_after_migrate

        post_migrate.connect(post_types_after_migrate, sender=self, dispatch_uid="mentorship_post_types")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidates")

    def ready(self):
        # Registers the supply export, the timeline entries and the to-do items.
        from candidates import exports, hooks, timeline  # noqa: F401

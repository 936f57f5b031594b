"""Messages of Django itself that its Simplified Chinese catalogue lacks; ours supplies them.

Listing them here lets makemessages carry them into locale/zh_Hans.
"""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = (
    # django.db.models.fields.BLANK_CHOICE_LABEL, new in Django 6.1.
    gettext_noop("- Select an option -"),
)

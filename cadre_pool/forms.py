"""Form behaviour shared by the apps."""

from django.utils.translation import gettext as _


class MaskedOnEditMixin:
    """Edit pages never print a stored ID number or phone (S11).

    `masked_on_edit` maps a field to the instance property that gives its masked form. On an edit
    the field starts empty with the masked value as its hint; left empty, it keeps the stored value.
    Call `mask_stored_values()` at the end of `__init__`.
    """

    masked_on_edit: dict[str, str] = {}

    def mask_stored_values(self) -> None:
        if not self.instance.pk:
            return
        for name, masked_attr in self.masked_on_edit.items():
            if name not in self.fields:
                continue
            masked = getattr(self.instance, masked_attr)
            field = self.fields[name]
            field.required = False
            field.widget.attrs["placeholder"] = masked
            field.help_text = _("Currently %(masked)s. Leave empty to keep it; type the full value to change it.") % {
                "masked": masked
            }
            self.initial[name] = ""

    def stored_if_empty(self, name: str, value):
        """The cleaned value, or the stored one when an edit left the field empty."""
        if not value and self.instance.pk and name in self.masked_on_edit:
            return getattr(self.instance, name)
        return value

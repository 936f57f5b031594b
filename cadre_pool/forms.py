"""Form behaviour shared by the apps."""

from django import forms
from django.utils.translation import gettext as _

from cadre_pool.text import without_control_characters


class TextHygieneMixin:
    """Every text a form accepts is stored without control characters; a single-line field
    without tabs and line breaks either (cadre_pool.text). Put it first among a form's bases."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and name in self.fields:
                if isinstance(self.fields[name].widget, forms.PasswordInput):
                    continue  # a password is what was typed, or the user could not sign in with it
                multiline = isinstance(self.fields[name].widget, forms.Textarea)
                cleaned[name] = without_control_characters(value, multiline=multiline)
        return cleaned


class HygienicModelForm(TextHygieneMixin, forms.ModelForm):
    """The admin's change forms (cadre_pool.admin.RoleScopedAdmin)."""


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

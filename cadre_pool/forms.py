"""Form behaviour shared by the apps."""

import hashlib
import json

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


def record_state(instance) -> str:
    """A digest of every stored value of a row: it changes whenever anyone saves the row."""
    values = {field.attname: field.value_from_object(instance) for field in instance._meta.concrete_fields}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


class StaleEditMixin(forms.Form):
    """Optimistic locking for a form that edits a row: the state the user saw travels with the form
    (a hidden `seen_state`), and a save over a row someone changed since is refused, not lost.
    A declared field, so that the admin, which draws only declared and model fields, carries it."""

    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self, "instance", None) is not None and self.instance.pk:
            self.fields["seen_state"].initial = record_state(self.instance)

    def clean(self):
        cleaned = super().clean()
        # Not a value of the row: views that hand cleaned_data to a service never pass it on.
        seen = cleaned.pop("seen_state", None)
        if seen and getattr(self, "instance", None) is not None and self.instance.pk:
            stored = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
            if stored is not None and record_state(stored) != seen:
                raise forms.ValidationError(
                    _("Someone else saved this record after you opened it. Reload the page to see their changes."),
                    code="stale",
                )
        return cleaned


class HygienicModelForm(StaleEditMixin, TextHygieneMixin, forms.ModelForm):
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


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose posted ids are checked to be ids before they reach the
    database: SQLite cannot even compare a 20-digit number with a key (OverflowError, a 500)."""

    def clean(self, value):
        for item in value or ():
            text = str(item).strip()
            if not text.isdigit() or len(text) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super().clean(value)

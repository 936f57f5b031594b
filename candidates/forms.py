from django import forms
from django.utils.translation import gettext_lazy as _

from cadre_pool.models import Education, Ethnicity, Gender, OrgUnit
from candidates.identity import (
    id_birth_date,
    id_gender_code,
    normalise_id_number,
    normalise_mobile,
    validate_id_number,
)
from candidates.models import Candidate, PoolStatus
from candidates.services import EDITABLE_FIELDS


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # District staff pick from every township's villages: name the township too.
        return f"{obj.parent.display_name} · {obj.display_name}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CandidateForm(forms.ModelForm):
    """The information file form. Township is chosen only by users above a township."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Wider than the stored values: spaces, dashes and +86 are removed before validation.
    id_number = forms.CharField(
        label=_("resident ID number"),
        max_length=30,
        help_text=_("18 characters; birth date and gender are read from it when left empty."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 30}),
    )
    phone = forms.CharField(
        label=_("mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "maxlength": 20}),
    )

    class Meta:
        model = Candidate
        fields = ["township", *EDITABLE_FIELDS]
        widgets = {
            "birth_date": DateInput(),
            "party_entry_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"village": VillageChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        townships = OrgUnit.objects.townships().visible_to(user)
        if user.is_organiser:
            del self.fields["township"]
            self.instance.township = user.unit
        else:
            self.fields["township"].queryset = townships
            if self.instance.pk:
                # Moving a file between townships is not an edit (S8).
                del self.fields["township"]
        villages = OrgUnit.objects.villages().visible_to(user).select_related("parent").order_by("code")
        self.fields["village"].queryset = villages
        self.fields["gender"].queryset = Gender.objects.filter(code__in=["1", "2"])
        self.fields["gender"].required = False
        self.fields["birth_date"].required = False
        self.fields["education"].queryset = Education.objects.filter(parent__isnull=False) | Education.objects.filter(
            code="90"
        )
        self.fields["ethnicity"].queryset = Ethnicity.objects.all()
        if not self.instance.pk:
            self.fields["ethnicity"].initial = "01"
        else:
            self.fields["version"].initial = self.instance.version
        self.fields["gender"].empty_label = _("from the ID number")
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
                field.empty_label = _("— choose —")
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_id_number(self):
        return normalise_id_number(self.cleaned_data.get("id_number", ""))

    def clean_phone(self):
        return normalise_mobile(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number")
        self._id_valid = False
        if number:
            try:
                validate_id_number(number)
            except forms.ValidationError:
                return cleaned  # the model reports the ID error on its field
            self._id_valid = True
            # Birth date and gender come from the ID when the user left them empty.
            if not cleaned.get("birth_date") and "birth_date" not in self.errors:
                cleaned["birth_date"] = id_birth_date(number)
            if not cleaned.get("gender"):
                cleaned["gender"] = Gender.objects.filter(code=id_gender_code(number)).first()
        return cleaned

    def _derived_fields_pending(self) -> set[str]:
        """Birth date and gender left empty while the ID is wrong: judge them once the ID is right."""
        if getattr(self, "_id_valid", False):
            return set()
        return {name for name in ("birth_date", "gender") if self.cleaned_data.get(name) is None}

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | self._derived_fields_pending()

    def _post_clean(self):
        if getattr(self, "_id_valid", False):
            for name in ("birth_date", "gender"):
                if self.cleaned_data.get(name) is None and name not in self._errors:
                    self.add_error(name, forms.ValidationError(_("This field is required."), code="required"))
        super()._post_clean()

    def editable_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data}


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("new status"), choices=())
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["to_status"].choices = [(s, PoolStatus(s).label) for s in allowed]
        self.fields["to_status"].widget.attrs["class"] = "form-select"
        self.fields["reason"].widget.attrs["class"] = "form-control"

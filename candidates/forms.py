from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadre_pool.forms import IdsChoiceField, MaskedOnEditMixin, StaleEditMixin, TextHygieneMixin
from cadre_pool.models import Degree, Education, Ethnicity, Gender, HealthStatus, OrgUnit
from cadre_pool.org.picklists import picklist_attrs, village_label, villages_for
from candidates.identity import (
    id_birth_date,
    id_gender_code,
    normalise_id_number,
    normalise_mobile,
    validate_id_number,
)
from candidates.models import (
    TRANSITION_LABELS,
    Candidate,
    Contact,
    PolicyItem,
    PoolStatus,
    SkillTag,
    SourceCategory,
    Uptake,
    VillageNeed,
)
from candidates.picklists import candidate_label, contact_candidates
from candidates.services import EDITABLE_FIELDS

# A posted key outside the form's scoped queryset: a form error naming what was sent, never a 500.
VILLAGE_NOT_OFFERED = _("Village no. %(value)s is not one of the villages you may choose.")


class VillageChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": VILLAGE_NOT_OFFERED}

    def label_from_instance(self, obj):
        return village_label(obj)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


CHOOSE = _("— choose —")


def _style(form: forms.Form) -> None:
    """Bootstrap classes, and our own label for an empty choice (Django's is not translated into Chinese)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            # Never read .choices here: it would run the queryset.
            if field.empty_label is not None:
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0] == "":
            field.choices = [("", CHOOSE), *field.choices[1:]]
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select | forms.SelectMultiple) else "form-control"
        field.widget.attrs.setdefault("class", css)


class CandidateForm(TextHygieneMixin, MaskedOnEditMixin, forms.ModelForm):
    """The information file form. Township is chosen only by users above a township."""

    masked_on_edit = {"id_number": "masked_id_number", "phone": "masked_phone"}
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

    # The page shows the file in these groups, in this order.
    SECTIONS = (
        (
            _("Identity"),
            ("township", "name", "id_number", "gender", "birth_date", "ethnicity", "phone", "native_place", "health"),
        ),
        (
            _("Politics and education"),
            (
                "political_status",
                "party_entry_date",
                "education",
                "degree",
                "fulltime_education",
                "fulltime_school",
                "fulltime_major",
                "inservice_education",
                "inservice_school",
                "inservice_major",
            ),
        ),
        (
            _("Work and skills"),
            ("source_category", "current_city", "employer", "occupation", "skills", "skills_other"),
        ),
        (
            _("Return home"),
            ("willingness", "village", "target_village", "rewards_punishments", "notes"),
        ),
    )
    WIDE_FIELDS = frozenset({"skills", "rewards_punishments", "notes"})

    class Meta:
        model = Candidate
        fields = ["township", *EDITABLE_FIELDS, "skills"]
        widgets = {
            "birth_date": DateInput(),
            "party_entry_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "rewards_punishments": forms.Textarea(attrs={"rows": 2}),
            "skills": forms.CheckboxSelectMultiple(attrs={"class": "cp-checkboxes"}),
        }
        field_classes = {"village": VillageChoiceField, "target_village": VillageChoiceField, "skills": IdsChoiceField}
        labels = {"village": _("home village")}

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
        villages = villages_for(user)
        village_search = reverse("village_picklist")
        # The home village lies in the file's township: once the file has one, only its villages.
        own_township = self.instance.township_id if self.instance.pk else None
        self.fields["village"].queryset = villages_for(user, township_id=own_township)
        self.fields["village"].widget.attrs.update(
            picklist_attrs(f"{village_search}?township={own_township}" if own_township else village_search)
        )
        self.fields["target_village"].queryset = villages
        self.fields["target_village"].widget.attrs.update(picklist_attrs(village_search))
        self.fields["skills"].queryset = SkillTag.objects.filter(active=True)
        self.fields["degree"].queryset = Degree.objects.all()
        self.fields["health"].queryset = HealthStatus.objects.all()
        self.fields["gender"].queryset = Gender.objects.filter(code__in=["1", "2"])
        self.fields["gender"].required = False
        self.fields["birth_date"].required = False
        levels = Education.objects.filter(parent__isnull=False) | Education.objects.filter(code="90")
        for name in ("education", "fulltime_education", "inservice_education"):
            self.fields[name].queryset = levels
        self.fields["ethnicity"].queryset = Ethnicity.objects.all()
        if not self.instance.pk:
            self.fields["ethnicity"].initial = "01"
        else:
            self.fields["version"].initial = self.instance.version
        _style(self)
        self.mask_stored_values()
        self.fields["gender"].empty_label = _("from the ID number")

    def sections(self):
        """(title, [bound fields]) in page order; fields this user does not get are left out."""
        for title, names in self.SECTIONS:
            yield title, [self[name] for name in names if name in self.fields]

    def validate_unique(self):
        # A second file for the same ID is refused by the service (S9), with a message that
        # depends on whether the user may see the first file; the generic one would leak nothing useful.
        pass

    def clean_id_number(self):
        return self.stored_if_empty("id_number", normalise_id_number(self.cleaned_data.get("id_number", "")))

    def clean_phone(self):
        return self.stored_if_empty("phone", normalise_mobile(self.cleaned_data.get("phone", "")))

    def clean(self):
        cleaned = super().clean()
        # A file may be saved without a party entry date (an imported roster often lacks it, and the
        # file is then incomplete); whoever edits it here is asked for it.
        status = cleaned.get("political_status")
        entry_missing = not cleaned.get("party_entry_date") and "party_entry_date" not in self.errors
        if status is not None and status.is_party_member and entry_missing:
            self.add_error(
                "party_entry_date",
                forms.ValidationError(_("Party members need a party entry date."), code="party_entry_required"),
            )
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
            for name in ("birth_date", "gender"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, forms.ValidationError(_("This field is required."), code="required"))
        return cleaned

    def _derived_fields_pending(self) -> set[str]:
        """Birth date and gender left empty while the ID is wrong: judge them once the ID is right."""
        if getattr(self, "_id_valid", False):
            return set()
        return {name for name in ("birth_date", "gender") if self.cleaned_data.get(name) is None}

    def add_error(self, field, error):
        # The model's checks (ModelForm adds their errors here, all at once) would call an empty birth
        # date or gender blank while a wrong ID is what keeps them empty: only the ID error is shown.
        pending = self._derived_fields_pending() if field is None and hasattr(self, "cleaned_data") else set()
        if pending and isinstance(error, forms.ValidationError) and hasattr(error, "error_dict"):
            error = {name: errors for name, errors in error.error_dict.items() if name not in pending}
            if not error:
                return
        super().add_error(field, error)

    def editable_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data}


class WorkHistoryForm(TextHygieneMixin, forms.Form):
    start = forms.DateField(label=_("from (date)"), widget=DateInput(attrs={"class": "form-control"}))
    end = forms.DateField(
        label=_("to (date)"),
        required=False,
        widget=DateInput(attrs={"class": "form-control"}),
        help_text=_("empty: current"),
    )
    unit = forms.CharField(label=_("unit"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    role = forms.CharField(label=_("position"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))


class BaseWorkHistoryFormSet(forms.BaseFormSet):
    def entries(self) -> list[dict]:
        return [
            {key: form.cleaned_data[key] for key in ("start", "end", "unit", "role")}
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


WorkHistoryFormSet = forms.formset_factory(
    WorkHistoryForm, formset=BaseWorkHistoryFormSet, extra=2, can_delete=True, max_num=30
)


def work_history_formset(data, candidate: Candidate | None) -> BaseWorkHistoryFormSet:
    initial = []
    if candidate is not None and candidate.pk:
        initial = [
            {"start": e.start, "end": e.end, "unit": e.unit, "role": e.role} for e in candidate.work_history.all()
        ]
    return WorkHistoryFormSet(data, initial=initial, prefix="work")


class StatusChangeForm(TextHygieneMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("new status"), choices=())
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, allowed: list[str], current: str = "", **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["to_status"].choices = [
            (s, TRANSITION_LABELS.get((current, s), PoolStatus(s).label)) for s in allowed
        ]
        self.fields["to_status"].widget.attrs["class"] = "form-select"
        self.fields["reason"].widget.attrs["class"] = "form-control"


class CandidateChoiceField(IdsChoiceField):
    default_error_messages = {
        "invalid_choice": _("Candidate no. %(value)s is not one of the candidates you may record a contact with."),
        "invalid_pk_value": _("“%(pk)s” is not a candidate number."),
    }

    def label_from_instance(self, obj):
        return candidate_label(obj)


class ContactForm(TextHygieneMixin, forms.ModelForm):
    candidates = CandidateChoiceField(
        label=_("candidates met"),
        queryset=Candidate.objects.none(),
        help_text=_("A visit or a talk: one person. A meeting: everyone who came."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    policies = IdsChoiceField(
        label=_("policy items handed over"),
        queryset=PolicyItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "cp-checkboxes cp-checkboxes-column"}),
    )
    field_order = ["kind", "candidates", "date", "place", "attendees", "discussed", "outcome"]

    class Meta:
        model = Contact
        fields = ["kind", "date", "place", "attendees", "discussed", "outcome", "next_step", "next_step_date"]
        widgets = {
            "date": DateInput(),
            "next_step_date": DateInput(),
            "discussed": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = contact_candidates(user)
        self.fields["candidates"].widget.attrs.update(picklist_attrs(reverse("candidates:picklist")))
        policies = PolicyItem.objects.current().order_by("category", "title")
        self.fields["policies"].queryset = (
            policies.applicable_to(user.unit) if user.is_organiser else policies.visible_to(user)
        )
        _style(self)


class UptakeForm(TextHygieneMixin, forms.Form):
    uptake = forms.ChoiceField(label=_("uptake"), choices=Uptake.choices)
    amount_granted = forms.DecimalField(
        label=_("amount granted (yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class VillageNeedForm(StaleEditMixin, TextHygieneMixin, forms.ModelForm):
    source_categories = forms.MultipleChoiceField(
        label=_("preferred source categories"),
        choices=SourceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "cp-checkboxes"}),
    )

    class Meta:
        model = VillageNeed
        fields = [
            "village",
            "field",
            "title",
            "description",
            "skills",
            "age_min",
            "age_max",
            "education_floor",
            "party",
            "source_categories",
            "priority",
            "reserves_wanted",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "skills": forms.CheckboxSelectMultiple(attrs={"class": "cp-checkboxes"}),
        }
        field_classes = {"village": VillageChoiceField, "skills": IdsChoiceField}

    WIDE_FIELDS = frozenset({"description", "skills", "source_categories"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["village"]  # a need stays with its village
        else:
            del self.fields["status"]  # a new need is open
            self.fields["village"].queryset = villages_for(user)
            self.fields["village"].widget.attrs.update(picklist_attrs(reverse("village_picklist")))
        self.fields["skills"].queryset = SkillTag.objects.filter(active=True)
        self.initial["source_categories"] = self.instance.source_category_list
        self.fields["education_floor"].queryset = Education.objects.filter(parent__isnull=True).exclude(code="90")
        _style(self)

    def clean_source_categories(self):
        return ",".join(self.cleaned_data["source_categories"])

    def field_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in {"village", "skills"}}


class ContactCorrectionForm(StaleEditMixin, TextHygieneMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["date", "place", "attendees", "discussed", "outcome", "next_step", "next_step_date"]
        widgets = ContactForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

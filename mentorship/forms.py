from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_pool.forms import MaskedOnEditMixin, StaleEditMixin, TextHygieneMixin
from cadre_pool.models import OrgUnit
from cadre_pool.org.picklists import picklist_attrs, villages_for
from candidates.forms import DateInput, VillageChoiceField
from mentorship.models import Mentor, MentoringLog, Placement, PlanItem, PostType, Secondment, TrainingCourse
from mentorship.picklists import assignable_mentors, mentor_label


class StyledForm(TextHygieneMixin):
    """Bootstrap classes on every widget, and no trailing colon after Chinese labels."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
                field.empty_label = _("— choose —")


class MentorForm(StaleEditMixin, MaskedOnEditMixin, StyledForm, forms.ModelForm):
    masked_on_edit = {"phone": "masked_phone"}

    class Meta:
        model = Mentor
        fields = ["name", "role", "work_unit", "township", "phone", "capacity", "active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_organiser:
            del self.fields["township"]
            self.instance.township = user.unit
        else:
            self.fields["township"].queryset = OrgUnit.objects.townships().visible_to(user)
        self.mask_stored_values()

    def clean_phone(self):
        return self.stored_if_empty("phone", self.cleaned_data.get("phone", ""))


def _plan_items(candidate, kind):
    return PlanItem.objects.filter(candidate=candidate, kind=kind, status__in=PlanItem.OPEN_STATUSES)


class AssignMentorForm(StyledForm, forms.Form):
    mentor = forms.ModelChoiceField(
        label=_("mentor"),
        queryset=Mentor.objects.none(),
        error_messages={
            "invalid_choice": _("Mentor no. %(value)s is not one of the active mentors you may assign."),
        },
    )
    is_lead = forms.BooleanField(
        label=_("lead mentor"),
        required=False,
        help_text=_("The first mentor is always the lead; ticking this for another makes them the lead instead."),
    )
    start_date = forms.DateField(label=_("start date"), widget=DateInput(), initial=timezone.localdate)
    confirm_over_capacity = forms.BooleanField(label=_("assign even if the mentor is at capacity"), required=False)

    def __init__(self, *args, user, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = assignable_mentors(user, candidate)
        self.fields["mentor"].label_from_instance = mentor_label
        self.fields["mentor"].widget.attrs.update(
            picklist_attrs(reverse("mentorship:mentor_picklist", args=[candidate.pk]))
        )


class EndAssignmentForm(StyledForm, forms.Form):
    end_date = forms.DateField(label=_("end date"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("reason for ending"), max_length=200)


class MentoringLogForm(StyledForm, forms.ModelForm):
    class Meta:
        model = MentoringLog
        fields = ["date", "mentor", "kind", "content", "mentor_comment"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, user, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Mentor.objects.visible_to(user).filter(
            assignments__candidate=candidate, assignments__end_date__isnull=True
        )


class PlanItemForm(StyledForm, forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["kind", "goal", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, user, candidate, **kwargs):
        super().__init__(*args, **kwargs)


class PlacementForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["post_type", "village", "start_date", "duties", "plan_item"]
        widgets = {"start_date": DateInput(), "duties": forms.Textarea()}
        field_classes = {"village": VillageChoiceField}

    def __init__(self, *args, user, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post_type"].queryset = PostType.objects.filter(active=True)
        self.fields["village"].queryset = villages_for(user, township_id=candidate.township_id)
        self.fields["village"].initial = candidate.village_id
        self.fields["plan_item"].queryset = _plan_items(candidate, PlanItem.Kind.POST)
        self.fields["plan_item"].help_text = _("Fills this item of the growth plan.")


class EndPlacementForm(StyledForm, forms.Form):
    end_date = forms.DateField(label=_("end date"), widget=DateInput(), initial=timezone.localdate)
    evaluation = forms.CharField(label=_("evaluation"), widget=forms.Textarea())


class HostVillageField(VillageChoiceField):
    def label_from_instance(self, obj):
        flags = " ".join(
            str(flag)
            for flag, on in ((_("model village"), obj.is_model_village), (_("star village"), obj.is_star_village))
            if on
        )
        label = super().label_from_instance(obj)
        return f"{label}（{flags}）" if flags else label


class SecondmentForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Secondment
        fields = ["host_village", "mode", "planned_start", "planned_end", "override_reason", "plan_item"]
        widgets = {"planned_start": DateInput(), "planned_end": DateInput()}
        field_classes = {"host_village": HostVillageField}

    def __init__(self, *args, user, candidate, all_villages: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        district = candidate.township.parent
        villages = OrgUnit.objects.villages().within(district).select_related("parent").order_by("code")
        if not all_villages:
            # Hosts are the district's model (示范村) and star (明星村) villages by default.
            villages = villages.filter(Q(is_model_village=True) | Q(is_star_village=True))
        self.fields["host_village"].queryset = villages
        self.fields["plan_item"].queryset = _plan_items(candidate, PlanItem.Kind.SECONDMENT)
        self.fields["plan_item"].help_text = _("Fills this item of the growth plan.")
        if user.can_decide:
            self.fields["override_reason"].help_text = _(
                "Only for a secondment shorter than 3 or longer than 6 months: your reason records your approval."
            )
        else:
            self.fields["override_reason"].help_text = _(
                "Only for a secondment shorter than 3 or longer than 6 months: say why; district staff "
                "approve or refuse it."
            )


class SecondmentLengthDecisionForm(StyledForm, forms.Form):
    decision = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("approve", _("approve this length")), ("refuse", _("refuse this length"))],
        coerce=lambda value: value == "approve",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve or refuse this length.")},
    )
    decision_reason = forms.CharField(
        label=_("reason for the length decision"),
        max_length=200,
        error_messages={"required": _("Give the reason for approving or refusing this length.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"


class EndSecondmentForm(StyledForm, forms.Form):
    actual_end = forms.DateField(label=_("actual end"), widget=DateInput(), initial=timezone.localdate)
    learned = forms.CharField(label=_("what was learned"), widget=forms.Textarea(), required=False)
    host_evaluation = forms.CharField(label=_("host village's evaluation"), widget=forms.Textarea(), required=False)


class CourseForm(StyledForm, forms.ModelForm):
    class Meta:
        model = TrainingCourse
        fields = ["name", "organiser", "start_date", "end_date", "hours", "result"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, user, candidate, **kwargs):
        super().__init__(*args, **kwargs)


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanItem.Status.choices)

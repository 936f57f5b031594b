from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import DIMENSIONS, REVIEW_FIELDS, VOTE_FIELDS, Assessment, Decision, Review, ReviewRound
from cadre_pool.forms import StaleEditMixin
from cadre_pool.models import OrgUnit
from cadre_pool.org.picklists import picklist_attrs, villages_for
from candidates.forms import DateInput, VillageChoiceField
from mentorship.forms import StyledForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class AssessmentForm(StyledForm, forms.ModelForm):
    evidence = MultipleFileField(
        label=_("evidence"),
        required=False,
        help_text=_("Photos (JPEG, PNG) or PDF files, up to 10 MB each."),
    )

    class Meta:
        model = Assessment
        fields = ["kind", "date", "rating", "description"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, user, candidate, **kwargs):
        super().__init__(*args, **kwargs)


class RoundForm(StyledForm, forms.ModelForm):
    class Meta:
        model = ReviewRound
        fields = ["name", "period_start", "period_end", "due_date"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "due_date": DateInput()}


class ReviewForm(StaleEditMixin, StyledForm, forms.ModelForm):
    class Meta:
        model = Review
        fields = REVIEW_FIELDS
        widgets = {"conclusion_note": forms.Textarea(attrs={"rows": 3})}

    # The four ratings and the conclusion are required by Review.clean() (one message each),
    # which also guards the service; the form does not repeat the check.

    def dimension_rows(self):
        return [(self[field], self[f"{field}_comment"]) for field, _label in DIMENSIONS]

    def vote_fields(self):
        return [self[name] for name in VOTE_FIELDS]


class ExitDecisionForm(StyledForm, forms.Form):
    exit_reason = forms.ChoiceField(label=_("reason"), choices=Decision.ExitReason.choices)
    note = forms.CharField(label=_("note"), widget=forms.Textarea())
    effective_date = forms.DateField(label=_("date"), widget=DateInput(), initial=timezone.localdate)


class PromotionDecisionForm(StyledForm, forms.Form):
    post = forms.ChoiceField(label=_("post"), choices=Decision.Post.choices, initial=Decision.Post.VILLAGE_SECRETARY)
    post_other = forms.CharField(label=_("other post"), required=False, max_length=50)
    village = VillageChoiceField(
        label=_("village"),
        queryset=OrgUnit.objects.none(),
        error_messages={"invalid_choice": _("Village no. %(value)s is not one of the villages you may choose.")},
    )
    effective_date = forms.DateField(label=_("date"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(), required=False)

    def __init__(self, *args, user, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_for(user)
        self.fields["village"].widget.attrs.update(picklist_attrs(reverse("village_picklist")))
        # The village the person was meant for; their home village where no target village is set.
        self.fields["village"].initial = candidate.target_village_id or candidate.village_id

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("post") == Decision.Post.OTHER and not cleaned.get("post_other", "").strip():
            self.add_error("post_other", _("Name the post."))
        return cleaned


class DeclineForm(StyledForm, forms.Form):
    note = forms.CharField(label=_("why the proposal is declined"), widget=forms.Textarea())


class FiguresForm(StyledForm, forms.Form):
    start = forms.DateField(label=_("period start"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("period end"), widget=DateInput(), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        return cleaned

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from cadre_pool import exports
from cadre_pool.access.declarations import READERS, WRITERS, RoleRequiredMixin, access
from cadre_pool.models import DECIDERS
from candidates import generic
from candidates.models import Candidate
from mentorship import forms, services
from mentorship.exports import mentoring_logs
from mentorship.models import Mentor, MentorAssignment, Placement, PlanItem, Secondment
from mentorship.records import cultivation_records


class MentorListView(RoleRequiredMixin, ListView):
    """The mentor register with each mentor's current load against capacity."""

    allowed_roles = READERS
    template_name = "mentorship/mentor_list.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = Mentor.objects.visible_to(self.request.user).with_load().select_related("township")
        if self.request.GET.get("q"):
            queryset = queryset.filter(name__contains=self.request.GET["q"].strip())
        if self.request.GET.get("active") != "all":
            queryset = queryset.filter(active=True)
        return queryset.order_by("township__code", "name", "pk")


@access(WRITERS)
def mentor_edit(request, pk=None):
    mentor = get_object_or_404(Mentor.objects.visible_to(request.user), pk=pk) if pk else None
    form = forms.MentorForm(request.POST or None, instance=mentor, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mentor(
                actor=request.user, mentor_id=pk, fields={**form.cleaned_data, "township": form.instance.township}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Mentor saved."))
            return redirect("mentorship:mentors")
    title = _("Edit mentor") if mentor else _("New mentor")
    return render(
        request, "cadre_pool/form.html", {"form": form, "title": title, "back": reverse("mentorship:mentors")}
    )


@access(READERS)
def candidate_cultivation(request, pk):
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("township", "village"), pk=pk
    )
    records = cultivation_records(candidate)
    return render(
        request,
        "mentorship/candidate_cultivation.html",
        {
            "candidate": candidate,
            "records": records,
            "plan_statuses": PlanItem.Status.choices,
            "can_write": request.user.can_write_candidates and candidate.status in services.CULTIVATED_STATUSES,
            # Whatever is still open can always be closed, whatever the person's status.
            "can_close": request.user.can_write_candidates,
        },
    )


class CandidateActionView(generic.CandidateActionView):
    def get_success_url(self):
        return reverse("mentorship:candidate", args=[self.candidate.pk])


class RecordActionView(generic.RecordActionView):
    def get_success_url(self):
        return reverse("mentorship:candidate", args=[self.record.candidate_id])


class AssignMentorView(CandidateActionView):
    form_class = forms.AssignMentorForm
    title = gettext_lazy("Assign a mentor")

    def save(self, form):
        data = form.cleaned_data
        services.assign_mentor(
            actor=self.request.user,
            candidate_id=self.candidate.pk,
            mentor_id=data["mentor"].pk,
            is_lead=data["is_lead"],
            start_date=data["start_date"],
            confirm_over_capacity=data["confirm_over_capacity"],
        )


class MentoringLogView(CandidateActionView):
    form_class = forms.MentoringLogForm
    title = gettext_lazy("New mentoring log")

    def save(self, form):
        services.record_mentoring_log(actor=self.request.user, candidate_id=self.candidate.pk, fields=form.cleaned_data)


class PlanItemView(CandidateActionView):
    form_class = forms.PlanItemForm
    title = gettext_lazy("New growth plan item")

    def save(self, form):
        services.add_plan_item(actor=self.request.user, candidate_id=self.candidate.pk, fields=form.cleaned_data)


class PlacementView(CandidateActionView):
    form_class = forms.PlacementForm
    title = gettext_lazy("New post placement")

    def save(self, form):
        services.start_placement(actor=self.request.user, candidate_id=self.candidate.pk, fields=form.cleaned_data)


class SecondmentView(CandidateActionView):
    form_class = forms.SecondmentForm
    title = gettext_lazy("Plan a secondment")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "all_villages": self.request.GET.get("all_villages") == "1"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(village_toggle=True, **kwargs)

    def save(self, form):
        services.plan_secondment(actor=self.request.user, candidate_id=self.candidate.pk, fields=form.cleaned_data)


class CourseView(CandidateActionView):
    form_class = forms.CourseForm
    title = gettext_lazy("New training course")

    def save(self, form):
        services.record_course(actor=self.request.user, candidate_id=self.candidate.pk, fields=form.cleaned_data)


class EndAssignmentView(RecordActionView):
    model = MentorAssignment
    form_class = forms.EndAssignmentForm
    title = gettext_lazy("End mentoring")

    def save(self, form):
        services.end_assignment(
            actor=self.request.user,
            assignment_id=self.record.pk,
            end_date=form.cleaned_data["end_date"],
            reason=form.cleaned_data["reason"],
        )


class EndPlacementView(RecordActionView):
    model = Placement
    form_class = forms.EndPlacementForm
    title = gettext_lazy("End post placement")

    def save(self, form):
        services.end_placement(
            actor=self.request.user,
            placement_id=self.record.pk,
            end_date=form.cleaned_data["end_date"],
            evaluation=form.cleaned_data["evaluation"],
        )


class EndSecondmentView(RecordActionView):
    model = Secondment
    form_class = forms.EndSecondmentForm
    title = gettext_lazy("End secondment and evaluate")

    def get_initial(self):
        secondment = self.record
        return {
            "actual_end": secondment.actual_end or secondment.planned_end,
            "learned": secondment.learned,
            "host_evaluation": secondment.host_evaluation,
        }

    def save(self, form):
        services.end_secondment(actor=self.request.user, secondment_id=self.record.pk, **form.cleaned_data)


class SecondmentLengthDecisionView(RecordActionView):
    """District staff approve or refuse a secondment planned for less than 3 or more than 6 months."""

    allowed_roles = DECIDERS
    model = Secondment
    form_class = forms.SecondmentLengthDecisionForm
    title = gettext_lazy("Decide a secondment's length")
    template_name = "mentorship/secondment_decision.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(secondment=self.record, **kwargs)

    def save(self, form):
        services.decide_secondment_length(
            actor=self.request.user,
            secondment_id=self.record.pk,
            approve=form.cleaned_data["decision"],
            reason=form.cleaned_data["decision_reason"],
        )


@require_POST
@access(WRITERS)
def plan_item_status(request, pk):
    item = get_object_or_404(PlanItem.objects.visible_to(request.user), pk=pk)
    form = forms.PlanStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_plan_item_status(actor=request.user, plan_item_id=item.pk, status=form.cleaned_data["status"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Plan item updated."))
    return redirect("mentorship:candidate", pk=item.candidate_id)


@access(READERS)
def mentoring_log_list(request):
    """帮带记录: every mentoring log in the user's scope, filterable, exportable."""
    if request.GET.get("export") == "xlsx":
        return exports.respond(request, "mentoring_logs")
    filterset = mentoring_logs(request.user, request.GET)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "mentorship/log_list.html", {"filter": filterset, "page_obj": page})

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from cadre_pool import exports, panels, timeline
from cadre_pool.access import READERS, WRITERS, RoleRequiredMixin, access
from candidates.filters import CandidateFilter
from candidates.forms import CandidateForm, StatusChangeForm
from candidates.models import Candidate, allowed_next_statuses
from candidates.services import StaleEditError, change_status, create_candidate, update_candidate

PAGE_SIZE = 25


class CandidateListView(RoleRequiredMixin, FilterView):
    allowed_roles = READERS
    filterset_class = CandidateFilter
    template_name = "candidates/candidate_list.html"
    paginate_by = PAGE_SIZE
    strict = False

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            # The roster reuses this list's filters and scope; see cadre_pool.roster.build_roster.
            return exports.respond(request, "roster")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Candidate.objects.visible_to(self.request.user).for_list().order_by("township__code", "name", "pk")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class CandidateDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = READERS
    template_name = "candidates/candidate_detail.html"
    context_object_name = "candidate"

    def get_queryset(self):
        return Candidate.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allowed = allowed_next_statuses(self.object.status, self.request.user)
        context["status_form"] = StatusChangeForm(allowed=allowed) if allowed else None
        kind = self.request.GET.get("kind") or None
        context["timeline"] = timeline.for_candidate(self.object, kind=kind)
        context["timeline_kinds"] = timeline.kinds()
        context["timeline_kind"] = kind or ""
        context["panels"] = panels.for_candidate(self.object, self.request.user)
        return context


@access(WRITERS)
def candidate_create(request):
    form = CandidateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        township = request.user.unit if request.user.is_organiser else form.cleaned_data["township"]
        try:
            candidate = create_candidate(actor=request.user, township=township, fields=form.editable_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The information file of %(name)s was created.") % {"name": candidate.name})
            return redirect("candidates:detail", pk=candidate.pk)
    return render(request, "candidates/candidate_form.html", {"form": form, "creating": True})


@access(WRITERS)
def candidate_edit(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    form = CandidateForm(request.POST or None, instance=candidate, user=request.user)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            update_candidate(
                actor=request.user,
                candidate_id=candidate.pk,
                expected_version=form.cleaned_data.get("version") or 0,
                fields=form.editable_data(),
            )
        except StaleEditError as exc:
            stale = exc.current
            form.add_error(
                None,
                _(
                    "Someone else saved this file after you opened it. "
                    "Review their version below and enter your change again."
                ),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("candidates:detail", pk=candidate.pk)
    return render(request, "candidates/candidate_form.html", {"form": form, "candidate": candidate, "stale": stale})


@require_POST
@access(WRITERS)
def candidate_change_status(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    allowed = allowed_next_statuses(candidate.status, request.user)
    form = StatusChangeForm(request.POST, allowed=allowed)
    if form.is_valid():
        try:
            change_status(
                actor=request.user,
                candidate_id=candidate.pk,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Status changed."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("candidates:detail", pk=candidate.pk)

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from cadre_pool import exports
from cadre_pool.access.declarations import READERS, WRITERS, RoleRequiredMixin, access
from cadre_pool.models import AuditAction, AuditEvent
from cadre_pool.paging import CappedPaginator
from cadre_pool.personal import mask_id_number, mask_mobile
from candidates.exports import supply_queryset
from candidates.filters import CandidateFilter, SupplyFilter
from candidates.forms import CandidateForm, StatusChangeForm, work_history_formset
from candidates.models import FUNNEL_STAGES, Candidate, PoolStatus, allowed_next_statuses
from candidates.services import EDITABLE_FIELDS, StaleEditError, change_status, create_candidate, update_candidate

PAGE_SIZE = 25


def run_posted_action(request, form, action, *, success: str) -> bool:
    """Validate a small posted form, call the service, and report the outcome as a message.

    For the one-button forms on a detail page that redirect back: rule violations become
    error messages; PermissionDenied and out-of-scope lookups propagate (403, 404).
    """
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


class FilteredListView(RoleRequiredMixin, FilterView):
    """A list of the user's candidates under the candidate filters, counted up to a cap."""

    allowed_roles = READERS
    paginate_by = PAGE_SIZE
    paginator_class = CappedPaginator
    strict = False
    export = ""  # the registered export (cadre_pool.exports) that ?export=xlsx builds from the same filters

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return exports.respond(request, self.export)
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}


# What the candidate table (candidates/_candidate_table.html) shows: a file's other fifty columns stay unread.
LIST_COLUMNS = (
    "name",
    "birth_date",
    "phone",
    "source_category",
    "status",
    "township__name",
    "township__short_name",
    "village__name",
    "village__short_name",
    "gender__name",
    "gender__short_name",
    "political_status__name",
    "political_status__short_name",
    "education__name",
    "education__short_name",
)


class CandidateListView(FilteredListView):
    filterset_class = CandidateFilter
    template_name = "candidates/candidate_list.html"
    export = "roster"  # reports.roster.build_roster: this list's filters and scope

    def get_queryset(self):
        candidates = Candidate.objects.visible_to(self.request.user).for_list().only(*LIST_COLUMNS)
        # An organiser's list is one township: name order alone, which the index serves.
        if self.request.user.is_organiser:
            return candidates.order_by("name", "pk")
        return candidates.order_by("township__code", "name", "pk")


class SupplyListView(FilteredListView):
    """The talent supply list (人才供给清单): filterable, and the same filtered rows as an Excel file."""

    filterset_class = SupplyFilter
    template_name = "candidates/supply_list.html"
    export = "supply"

    def get_queryset(self):
        return supply_queryset(self.request.user)


def _shown(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "id_number":
        return mask_id_number(value)
    if name == "phone":
        return mask_mobile(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def stale_edit(form, current: Candidate, *, expected_version: int) -> dict:
    """A refused stale edit: who saved the file since this edit began, when, and each field they
    changed with the user's entry beside the saved value (from the audit rows of those saves)."""
    saves = [
        row
        for row in AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_type=current._meta.label_lower, object_id=str(current.pk)
        ).order_by("-created_at", "-pk")[:20]
        if isinstance(row.after, dict) and (row.after.get("version") or 0) > expected_version
    ]
    changed = {name for row in saves for name in row.after}
    names = [name for name in EDITABLE_FIELDS if name in form.fields and name in changed]
    if not names:  # saved without an audit row (a command, an import): show every difference
        names = [n for n in EDITABLE_FIELDS if n in form.cleaned_data and form.cleaned_data[n] != getattr(current, n)]
    rows = []
    for name in names:
        mine, saved = form.cleaned_data.get(name), getattr(current, name)
        rows.append({"label": form.fields[name].label, "mine": _shown(name, mine), "saved": _shown(name, saved)})
    latest = saves[0] if saves else None
    return {
        "who": latest.actor_name if latest else "",
        "when": latest.created_at if latest else current.updated_at,
        "fields": rows,
    }


def _file_form_page(request, candidate: Candidate | None):
    """The create and edit pages: the file form, its work-history rows, and the service call."""
    form = CandidateForm(request.POST or None, instance=candidate, user=request.user)
    # A post without the work-history rows (an older form, a script) leaves the history alone.
    history_posted = "work-TOTAL_FORMS" in request.POST
    history = work_history_formset(request.POST if history_posted else None, candidate)
    stale = None
    if request.method == "POST" and form.is_valid() and (not history_posted or history.is_valid()):
        extra = {"skills": form.cleaned_data["skills"], "work_history": history.entries() if history_posted else None}
        try:
            if candidate is None:
                township = request.user.unit if request.user.is_organiser else form.cleaned_data["township"]
                saved = create_candidate(actor=request.user, township=township, fields=form.editable_data(), **extra)
            else:
                saved = update_candidate(
                    actor=request.user,
                    candidate_id=candidate.pk,
                    expected_version=form.cleaned_data.get("version") or 0,
                    fields=form.editable_data(),
                    **extra,
                )
        except StaleEditError as exc:
            stale = stale_edit(form, exc.current, expected_version=form.cleaned_data.get("version") or 0)
            form.add_error(
                None,
                _(
                    "Someone else saved this file after you opened it. "
                    "Compare their version with yours below; saving again keeps your entries."
                ),
            )
            # The page now carries the saved version, so a second save is a deliberate choice, not a loop.
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except ValidationError as exc:
            # Errors on fields the form shows go to those fields; the rest (work history) on top.
            known = hasattr(exc, "error_dict") and set(exc.error_dict) <= {*form.fields, "__all__"}
            form.add_error(None, exc if known else exc.messages)
        else:
            if candidate is None:
                messages.success(request, _("The information file of %(name)s was created.") % {"name": saved.name})
            else:
                messages.success(request, _("Changes saved."))
            if saved.above_age_bound:
                messages.warning(
                    request,
                    _("%(name)s is older than %(age)d, the usual bound for new entries. Please check the choice.")
                    % {"name": saved.name, "age": settings.CANDIDATE_MAX_AGE},
                )
            return redirect("candidate_file", pk=saved.pk)
    context = {"form": form, "history": history, "stale": stale}
    context.update({"candidate": candidate} if candidate else {"creating": True})
    return render(request, "candidates/candidate_form.html", context)


@access(WRITERS)
def candidate_create(request):
    return _file_form_page(request, None)


@access(WRITERS)
def candidate_edit(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user).prefetch_related("work_history"), pk=pk)
    return _file_form_page(request, candidate)


@require_POST
@access(WRITERS)
def candidate_change_status(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    allowed = allowed_next_statuses(candidate.status, request.user)
    form = StatusChangeForm(request.POST, allowed=allowed, current=candidate.status)
    run_posted_action(
        request,
        form,
        lambda data: change_status(
            actor=request.user, candidate_id=candidate.pk, to_status=data["to_status"], reason=data["reason"]
        ),
        success=_("Status changed."),
    )
    # The funnel page decides proposals in place and asks to come back.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("candidate_file", pk=candidate.pk)


@access(READERS)
def funnel(request):
    """The intake funnel: how many people are at each stage, and the proposals awaiting a decision."""
    scoped = Candidate.objects.visible_to(request.user)
    counts = dict(scoped.values_list("status").annotate(n=Count("pk")).order_by())
    stages = [(status, PoolStatus(status).label, counts.get(status, 0)) for status in FUNNEL_STAGES]
    others = [(s, s.label, counts.get(s, 0)) for s in PoolStatus if s not in FUNNEL_STAGES]
    proposals = list(scoped.awaiting_decision()[:PAGE_SIZE])
    # The to-do list links one proposal (?proposal=pk): shown first even when older ones fill the page.
    asked = request.GET.get("proposal", "")
    if asked.isascii() and asked.isdigit() and all(candidate.pk != int(asked) for candidate in proposals):
        proposals = [*scoped.awaiting_decision().filter(pk=int(asked)), *proposals]
    # The district reports the share of the pool with industry experience or a professional skill.
    skilled = scoped.filter(status=PoolStatus.IN_POOL, has_industry_skill=True).count()
    in_pool = counts.get(PoolStatus.IN_POOL, 0)
    return render(
        request,
        "candidates/funnel.html",
        {
            "stages": stages,
            "others": others,
            "proposals": proposals,
            "asked": asked,
            "proposal_count": counts.get("proposed", 0),
            "skilled": skilled,
            "skilled_share": round(100 * skilled / in_pool) if in_pool else None,
        },
    )

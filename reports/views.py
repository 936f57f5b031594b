"""Pages that read across every app: home, the to-do list, the candidate file page with its
cultivation and management sections and timeline, a candidate's audit history, the roster options."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from assessments.forms import FiguresForm
from assessments.records import management_panel
from cadre_pool import audit, exports
from cadre_pool.access.declarations import ANY_ROLE, READERS, WRITERS, RoleRequiredMixin, access
from cadre_pool.models import AuditEvent, Role
from cadre_pool.routers import reads_from_replica
from candidates.completeness import missing_information
from candidates.forms import StatusChangeForm
from candidates.models import Candidate, PoolStatus, Uptake, allowed_next_statuses
from candidates.records import file_for, file_records
from mentorship.records import cultivation_panel
from reports import statistics, timeline, todo
from reports.roster import DEFAULT_COLUMNS, ROSTER_COLUMNS

AUDIT_PAGE_SIZE = 50


@access(ANY_ROLE)
def home(request):
    counts = {}
    if request.user.can_read_candidates:
        rows = Candidate.objects.visible_to(request.user).values("status").annotate(n=Count("pk")).order_by()
        counts = {row["status"]: row["n"] for row in rows}
    statuses = [(status, counts.get(status.value, 0)) for status in PoolStatus]
    return render(request, "reports/home.html", {"statuses": statuses, "total": sum(counts.values())})


@access(READERS)
def todo_list(request):
    """待办: what needs action in the user's scope today, gathered from every app."""
    items = todo.items_for(request.user, timezone.localdate())
    kinds = sorted({(item.kind, item.kind_label) for item in items})
    selected = request.GET.get("kind", "")
    if selected:
        items = [item for item in items if item.kind == selected]
    return render(request, "reports/todo.html", {"items": items, "kinds": kinds, "selected": selected})


@dataclass(frozen=True)
class Panel:
    """A section of the file page that another app draws: its template and that template's context."""

    template: str
    context: dict


def file_panels(candidate, user) -> list[Panel]:
    shown = (
        ("mentorship/_candidate_panel.html", cultivation_panel(candidate, user)),
        ("assessments/_candidate_panel.html", management_panel(candidate, user)),
        ("audit/_candidate_panel.html", {} if user.can_decide else None),
    )
    return [Panel(template, context) for template, context in shown if context is not None]


class CandidateFileView(RoleRequiredMixin, DetailView):
    """The information file (档案): the person, their pool history, cultivation, management and timeline."""

    allowed_roles = READERS
    template_name = "reports/candidate_file.html"
    context_object_name = "candidate"

    def get_object(self, queryset=None):
        return file_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allowed = allowed_next_statuses(self.object.status, self.request.user)
        context["status_form"] = StatusChangeForm(allowed=allowed, current=self.object.status) if allowed else None
        context["uptake_choices"] = Uptake.choices
        context["records"] = file_records(self.object)
        context["missing"] = [check.label for check in missing_information(self.object)]
        kind = self.request.GET.get("kind") or None
        context["timeline"] = timeline.for_candidate(self.object, kind=kind)
        context["timeline_kinds"] = timeline.kinds()
        context["timeline_kind"] = kind or ""
        context["panels"] = file_panels(self.object, self.request.user)
        return context


class CandidateRevealView(CandidateFileView):
    """The file with its full ID number and phone: by POST, for writers only, each time audited (S11)."""

    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        audit.record(request, action=audit.AuditAction.REVEAL, obj=self.object, fields=["id_number", "phone"])
        return self.render_to_response(self.get_context_data(object=self.object, revealed=True))


@access({Role.DISTRICT_STAFF})
def candidate_history(request, pk):
    """A candidate's audit history, for district staff within their scope (out of scope: 404)."""
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    queryset = AuditEvent.objects.filter(object_type=Candidate._meta.label_lower, object_id=str(candidate.pk))
    page = Paginator(queryset, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/candidate_history.html",
        {"candidate": candidate, "page": page, "title": _("History of %(name)s") % {"name": candidate}},
    )


@access(READERS)
def roster_options(request):
    """Choose and order the roster's columns; the current list filters travel along unchanged.

    The form posts here: a POST is the only way to full ID numbers and phones (S11).
    """
    if request.method == "POST":
        return exports.respond(request, "roster")
    filters = [(key, value) for key in request.GET for value in request.GET.getlist(key) if key not in {"page"}]
    columns = [(column, DEFAULT_COLUMNS.index(column.key) + 1) for column in ROSTER_COLUMNS]
    return render(request, "reports/roster_options.html", {"filters": filters, "columns": columns})


@access(READERS)
@reads_from_replica
def pool_figures(request):
    """In the pool at the end of the period, and entries, promotions and exits (by reason) during it."""
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today
    form = FiguresForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    figures = statistics.pool_figures(request.user, start, end)
    return render(request, "reports/pool_figures.html", {"form": form, "start": start, "end": end, **figures})

"""Village needs and matching (S5, S7)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_pool.access.declarations import READERS, WRITERS, access
from cadre_pool.models import OrgUnit
from candidates import matching
from candidates.coverage import annotate_reserves
from candidates.forms import VillageNeedForm
from candidates.models import Candidate, NeedStatus, PoolStatus, ReserveAssignment, VillageNeed
from candidates.services import assign_reserve, save_village_need
from candidates.views.files import run_posted_action
from candidates.views.outreach import chosen_township

PAGE_SIZE = 25


@access(READERS)
def need_list(request):
    needs = VillageNeed.objects.visible_to(request.user).for_list()
    status = request.GET.get("status", NeedStatus.OPEN)
    if status in NeedStatus.values:
        needs = needs.filter(status=status)
    township = chosen_township(request)
    if township is not None:
        needs = needs.filter(village__parent=township)
    needs = annotate_reserves(needs, outer="village")
    page = Paginator(needs.order_by("village__code", "-created_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    townships = [] if request.user.is_organiser else OrgUnit.objects.townships().visible_to(request.user)
    return render(
        request,
        "candidates/need_list.html",
        {
            "page_obj": page,
            "statuses": NeedStatus.choices,
            "status": status,
            "townships": townships,
            "township": township,
        },
    )


def _need_form_page(request, need: VillageNeed | None):
    form = VillageNeedForm(request.POST or None, instance=need, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_village_need(
                actor=request.user,
                need_id=need.pk if need else None,
                village=form.cleaned_data.get("village"),
                fields=form.field_data(),
                skills=form.cleaned_data["skills"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The village need was saved."))
            return redirect("candidates:need_detail", pk=saved.pk)
    return render(request, "candidates/need_form.html", {"form": form, "need": need})


@access(WRITERS)
def need_create(request):
    return _need_form_page(request, None)


@access(WRITERS)
def need_edit(request, pk):
    return _need_form_page(request, get_object_or_404(VillageNeed.objects.visible_to(request.user), pk=pk))


@access(READERS)
def need_detail(request, pk):
    """The need and its ranked candidates, each score term shown, with a button to assign a reserve."""
    need = get_object_or_404(VillageNeed.objects.visible_to(request.user).for_list(), pk=pk)
    scoped = Candidate.objects.visible_to(request.user)
    reserves = (
        scoped.filter(target_village=need.village_id)
        .exclude(status__in=[PoolStatus.EXITED, PoolStatus.PROMOTED])
        .prefetch_related(
            Prefetch(
                "reserve_assignments",
                queryset=ReserveAssignment.objects.filter(need__village=need.village_id).select_related("assigned_by"),
                to_attr="assignments",
            )
        )
        .order_by("name", "pk")
    )
    return render(
        request,
        "candidates/need_detail.html",
        {
            "need": need,
            "matches": matching.rank(need, scoped),
            "reserves": reserves,
            "weights": matching.weights(),
        },
    )


class AssignForm(forms.Form):
    candidate = forms.IntegerField()


@require_POST
@access(WRITERS)
def need_assign(request, pk):
    need = get_object_or_404(VillageNeed.objects.visible_to(request.user), pk=pk)
    candidate_id = request.POST.get("candidate", "").strip()
    if candidate_id.isdigit():
        # An id from the form: one this user cannot see is not found, like any other.
        get_object_or_404(Candidate.objects.visible_to(request.user), pk=candidate_id)
    run_posted_action(
        request,
        AssignForm(request.POST),
        lambda data: assign_reserve(actor=request.user, need_id=need.pk, candidate_id=data["candidate"]),
        success=_("The candidate is now a reserve for this village."),
    )
    return redirect("candidates:need_detail", pk=need.pk)

import datetime
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments import forms, services
from assessments.flags import flags_for
from assessments.models import DIMENSIONS, Evidence, Rating, Review, ReviewRound
from cadre_pool import exports
from cadre_pool.access.declarations import READERS, access
from cadre_pool.access.scoping import township_scope
from cadre_pool.models import DECIDERS
from candidates import generic
from candidates.models import Candidate, PoolStatus

logger = logging.getLogger(__name__)


class AssessmentCreateView(generic.CandidateActionView):
    form_class = forms.AssessmentForm
    title = gettext_lazy("New key-task assessment")

    def save(self, form):
        services.record_assessment(
            actor=self.request.user,
            candidate_id=self.candidate.pk,
            fields=form.cleaned_data,
            files=form.cleaned_data.get("evidence") or [],
        )


@access(READERS)
def evidence_file(request, pk):
    """Evidence is served only to users who may see the candidate, and never from the static tree."""
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        # The row outlived its file (a restore without the files, a disk fault): say so, not 500.
        logger.error("Evidence %s has no file %s", evidence.pk, evidence.file.name)
        raise Http404(_("The file of this evidence is missing; ask the system administrator to restore it.")) from None
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=False,
        filename=evidence.original_name,
    )
    response["Cache-Control"] = "no-store, private"
    return response


def _scoped_review_filter(user, prefix: str = "") -> Q:
    return township_scope(user, f"{prefix}candidate__township") or Q(pk__in=[])


@access(READERS)
def round_list(request):
    scope = _scoped_review_filter(request.user, "reviews__")
    rounds = (
        ReviewRound.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(
            total=Count("reviews", filter=scope),
            done=Count("reviews", filter=scope & Q(reviews__filled_at__isnull=False)),
        )
    )
    return render(request, "assessments/round_list.html", {"rounds": rounds})


@access(DECIDERS)
def round_create(request):
    today = timezone.localdate()
    form = forms.RoundForm(
        request.POST or None,
        initial={
            "period_start": today.replace(month=1, day=1),
            "period_end": today,
            "due_date": today + datetime.timedelta(days=30),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            review_round = services.open_round(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            generic.add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Round opened with %(count)d candidates.") % {"count": review_round.reviews.count()}
            )
            return redirect("assessments:round", pk=review_round.pk)
    return render(
        request,
        "cadre_pool/form.html",
        {"form": form, "title": _("Open a look-back review round"), "back": reverse("assessments:rounds")},
    )


@access(READERS)
def round_detail(request, pk):
    if request.GET.get("export") == "xlsx":
        params = request.GET.copy()
        params["round"] = str(pk)
        request.GET = params
        return exports.respond(request, "round_results")
    review_round = get_object_or_404(ReviewRound.objects.visible_to(request.user).select_related("unit"), pk=pk)
    reviews = (
        Review.objects.visible_to(request.user)
        .filter(round=review_round)
        .select_related("candidate", "candidate__township")
    )
    progress = (
        reviews.values("candidate__township__name", "candidate__township__short_name")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(filled_at__isnull=False)))
        .order_by("candidate__township__code")
    )
    candidates = Candidate.objects.filter(pk__in=reviews.values("candidate_id"))
    flags = flags_for(candidates, timezone.localdate())
    rows = [(review, flags.get(review.candidate_id, [])) for review in reviews]
    addable = []
    if request.user.can_decide and review_round.is_open:
        addable = list(
            Candidate.objects.visible_to(request.user)
            .filter(status=PoolStatus.IN_POOL)
            .exclude(pk__in=review_round.reviews.values("candidate_id"))
            .select_related("township")
            .order_by("township__code", "name")[:200]
        )
    return render(
        request,
        "assessments/round_detail.html",
        {"round": review_round, "rows": rows, "progress": progress, "addable": addable},
    )


@require_POST
@access(DECIDERS)
def round_add(request, pk):
    ids = [int(value) for value in request.POST.getlist("candidate") if value.isdigit()]
    try:
        added = services.add_to_round(actor=request.user, round_id=pk, candidate_ids=ids)
    except ReviewRound.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)d candidates added to the round.") % {"count": added})
    return redirect("assessments:round", pk=pk)


@require_POST
@access(DECIDERS)
def round_close(request, pk):
    try:
        services.close_round(actor=request.user, round_id=pk)
    except ReviewRound.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Round closed; its reviews are locked."))
    return redirect("assessments:round", pk=pk)


@access(READERS)
def round_report(request, pk):
    """Distribution of ratings and conclusions, per township and in total (one grouped query)."""
    review_round = get_object_or_404(ReviewRound.objects.visible_to(request.user), pk=pk)
    aggregates = {"total": Count("pk"), "done": Count("pk", filter=Q(filled_at__isnull=False))}
    for field, _label in DIMENSIONS:
        for rating in Rating:
            aggregates[f"{field}_{rating.value}"] = Count("pk", filter=Q(**{field: rating.value}))
    for conclusion in Review.Conclusion:
        aggregates[f"conclusion_{conclusion.value}"] = Count("pk", filter=Q(conclusion=conclusion.value))
    rows = list(
        Review.objects.visible_to(request.user)
        .filter(round=review_round)
        .values("candidate__township__code", "candidate__township__short_name", "candidate__township__name")
        .annotate(**aggregates)
        .order_by("candidate__township__code")
    )
    totals = {key: sum(row[key] for row in rows) for key in aggregates}
    return render(
        request,
        "assessments/round_report.html",
        {
            "round": review_round,
            "rows": rows,
            "totals": totals,
            "dimensions": [(field, str(label)) for field, label in DIMENSIONS],
            "ratings": list(Rating),
            "conclusions": list(Review.Conclusion),
        },
    )


@access(READERS)
def review_fill(request, pk):
    review = get_object_or_404(
        Review.objects.visible_to(request.user).select_related("round", "candidate", "candidate__township"), pk=pk
    )
    editable = (
        request.user.can_write_candidates
        and review.round.is_open
        and review.proposal_status not in {Review.ProposalStatus.ACCEPTED, Review.ProposalStatus.DECLINED}
    )
    form = forms.ReviewForm(request.POST or None, instance=review)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This review can no longer change."))
            return redirect("assessments:review", pk=review.pk)
        if form.is_valid():
            try:
                services.fill_review(actor=request.user, review_id=review.pk, fields=form.cleaned_data)
            except ValidationError as exc:
                generic.add_service_errors(form, exc)
            else:
                messages.success(request, _("Review saved."))
                return redirect("assessments:round", pk=review.round_id)
    flags = flags_for(Candidate.objects.filter(pk=review.candidate_id), timezone.localdate()).get(
        review.candidate_id, []
    )
    return render(
        request, "assessments/review_form.html", {"review": review, "form": form, "editable": editable, "flags": flags}
    )


@access(DECIDERS)
def proposal_list(request):
    reviews = (
        Review.objects.visible_to(request.user)
        .filter(proposal_status=Review.ProposalStatus.PENDING)
        .select_related("round", "candidate", "candidate__township", "filled_by")
        .order_by("filled_at")
    )
    return render(request, "assessments/proposal_list.html", {"reviews": reviews})


class DecisionView(generic.CandidateActionView):
    """A district decision on a candidate in the pool, optionally answering a review's proposal."""

    allowed_roles = DECIDERS

    @property
    def review_id(self) -> int | None:
        value = self.request.GET.get("review", "")
        return int(value) if value.isdigit() else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.review_id:
            context["proposal"] = get_object_or_404(
                Review.objects.visible_to(self.request.user).select_related("round"),
                pk=self.review_id,
                candidate=self.candidate,
            )
        return context


class ExitDecisionView(DecisionView):
    form_class = forms.ExitDecisionForm
    title = gettext_lazy("Remove from the pool")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        kwargs.pop("candidate")
        return kwargs

    def save(self, form):
        services.decide_exit(
            actor=self.request.user, candidate_id=self.candidate.pk, review_id=self.review_id, **form.cleaned_data
        )


class PromotionDecisionView(DecisionView):
    form_class = forms.PromotionDecisionForm
    title = gettext_lazy("Promote")

    def save(self, form):
        services.decide_promotion(
            actor=self.request.user, candidate_id=self.candidate.pk, review_id=self.review_id, **form.cleaned_data
        )


class DeclineProposalView(generic.RecordActionView):
    allowed_roles = DECIDERS
    model = Review
    form_class = forms.DeclineForm
    title = gettext_lazy("Decline the proposal")

    def get_success_url(self):
        return reverse("assessments:proposals")

    def save(self, form):
        services.decline_proposal(actor=self.request.user, review_id=self.record.pk, note=form.cleaned_data["note"])

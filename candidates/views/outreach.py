"""Contact log and policy list pages (S3, S4)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_pool import exports
from cadre_pool.access.declarations import READERS, WRITERS, access
from cadre_pool.models import OrgUnit
from candidates.exports import contact_queryset
from candidates.forms import ContactCorrectionForm, ContactForm, UptakeForm
from candidates.models import Candidate, Contact, ContactKind, PolicyDelivery, PolicyItem, Uptake
from candidates.services import correct_contact, record_contact, record_uptake
from candidates.views.files import run_posted_action

PAGE_SIZE = 25


@access(READERS)
def contact_list(request):
    """The township's contact log, newest first; filter by kind; the same rows as Excel."""
    if request.GET.get("export") == "xlsx":
        return exports.respond(request, "contacts")
    kind = request.GET.get("kind", "")
    contacts = contact_queryset(request.user, request.GET)
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "candidates/contact_list.html",
        {"page_obj": page, "kinds": ContactKind.choices, "kind": kind},
    )


@access(WRITERS)
def contact_create(request):
    initial = {"date": timezone.localdate(), "attendees": request.user.full_name or request.user.username}
    candidate_id = request.GET.get("candidate", "")
    if candidate_id.isdigit() and len(candidate_id) <= 18:
        candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=candidate_id)
        initial["candidates"] = [candidate.pk]
    form = ContactForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_contact(
                actor=request.user,
                candidate_ids=[c.pk for c in data["candidates"]],
                fields={name: data[name] for name in form.Meta.fields},
                policy_ids=[p.pk for p in data["policies"]],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The contact was logged."))
            people = list(data["candidates"])
            if len(people) == 1:
                return redirect("candidate_file", pk=people[0].pk)
            return redirect("candidates:contacts")
    return render(request, "candidates/contact_form.html", {"form": form})


@access(WRITERS)
def contact_correct(request, pk):
    contact = get_object_or_404(Contact.objects.visible_to(request.user).for_list(), pk=pk)
    form = ContactCorrectionForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            correct_contact(actor=request.user, contact_id=contact.pk, fields=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("candidates:contacts")
    return render(request, "candidates/contact_form.html", {"form": form, "contact": contact})


@require_POST
@access(WRITERS)
def delivery_uptake(request, pk):
    delivery = get_object_or_404(PolicyDelivery.objects.visible_to(request.user), pk=pk)
    run_posted_action(
        request,
        UptakeForm(request.POST),
        lambda data: record_uptake(
            actor=request.user,
            delivery_id=delivery.pk,
            uptake=data["uptake"],
            amount_granted=data["amount_granted"],
        ),
        success=_("Uptake recorded."),
    )
    return redirect("candidate_file", pk=delivery.candidate_id)


def chosen_township(request):
    """The organiser's own township; others choose one of theirs with ?township=."""
    if request.user.is_organiser:
        return request.user.unit
    township_id = request.GET.get("township", "")
    if township_id.isdigit():
        return get_object_or_404(OrgUnit.objects.townships().visible_to(request.user), pk=township_id)
    return None


@access(READERS)
def policy_list(request):
    """The printable one-page policy list of a township: its own items and those of the units above it."""
    township = chosen_township(request)
    items = PolicyItem.objects.current().select_related("unit").order_by("category", "title", "pk")
    items = items.applicable_to(township) if township else items.visible_to(request.user)
    townships = [] if request.user.is_organiser else OrgUnit.objects.townships().visible_to(request.user)
    return render(
        request,
        "candidates/policy_list.html",
        {"items": items, "township": township, "townships": townships, "today": timezone.localdate()},
    )


@access(READERS)
def policy_uptake(request):
    """Per policy item: how many candidates were handed it, and what became of it."""
    deliveries = PolicyDelivery.objects.visible_to(request.user)
    township = chosen_township(request)
    if township is not None:
        deliveries = deliveries.filter(candidate__township=township)
    counts = {f"n_{value}": Count("pk", filter=Q(uptake=value)) for value in Uptake.values}
    rows = (
        deliveries.values("policy_id", "policy__title", "policy__category")
        .annotate(total=Count("pk"), candidates=Count("candidate", distinct=True), granted_sum=Sum("amount_granted"))
        .annotate(**counts)
        .order_by("policy__category", "policy__title", "policy_id")
    )
    totals = deliveries.aggregate(total=Count("pk"), granted_sum=Sum("amount_granted"), **counts)
    return render(
        request,
        "candidates/policy_uptake.html",
        {
            "rows": rows,
            "totals": totals,
            "uptakes": Uptake.choices,
            "township": township,
            "townships": [] if request.user.is_organiser else OrgUnit.objects.townships().visible_to(request.user),
        },
    )

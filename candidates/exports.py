"""The talent supply list (人才供给清单) as Excel, through the shared export machinery."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre_pool.excel import Column, Table
from candidates.filters import SupplyFilter
from candidates.models import Candidate, Contact, ContactKind, PoolStatus


def _skills(candidate: Candidate) -> str:
    skills = [tag.name for tag in candidate.skills.all()]
    if candidate.skills_other:
        skills.append(candidate.skills_other)
    return "、".join(skills)


SUPPLY_COLUMNS = [
    Column("name", gettext_lazy("Name"), 10, lambda c: c.name),
    Column("gender", gettext_lazy("Gender"), 6, lambda c: str(c.gender)),
    Column("age", gettext_lazy("Age"), 6, lambda c: c.age),
    Column("township", gettext_lazy("Township"), 10, lambda c: str(c.township)),
    Column("village", gettext_lazy("Home village"), 12, lambda c: str(c.village or "")),
    Column("education", gettext_lazy("Education"), 14, lambda c: c.education.name),
    Column("political", gettext_lazy("Political status"), 12, lambda c: str(c.political_status)),
    Column("source", gettext_lazy("Source category"), 16, lambda c: c.get_source_category_display()),
    Column("skills", gettext_lazy("Experience and skills"), 24, _skills),
    Column("occupation", gettext_lazy("Industry and occupation"), 18, lambda c: c.occupation),
    Column("employer", gettext_lazy("Employer or business"), 18, lambda c: c.employer),
    Column("city", gettext_lazy("Where working now"), 12, lambda c: c.current_city),
    Column("willingness", gettext_lazy("Willing to return home"), 10, lambda c: c.get_willingness_display()),
    Column("status", gettext_lazy("Status"), 10, lambda c: c.get_status_display()),
    Column("target", gettext_lazy("Target village"), 12, lambda c: str(c.target_village or "")),
    Column("phone", gettext_lazy("Mobile phone"), 14, lambda c: c.masked_phone),
]


def supply_queryset(user):
    """The supply side: people who may still be chosen, not those promoted or out of the pool."""
    return (
        Candidate.objects.visible_to(user)
        .for_list()
        .exclude(status__in=[PoolStatus.PROMOTED, PoolStatus.EXITED])
        .select_related("target_village")
        .prefetch_related("skills")
        .order_by("township__code", "name", "pk")
    )


def build_supply(user, params) -> tuple[Table, int]:
    """The supply list's own filters and scope, every row (not one page)."""

    base = supply_queryset(user)
    filterset = SupplyFilter(params, queryset=base, user=user)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    table = Table(
        sheet=_("Talent supply list"),
        title=_("Talent supply list"),
        subtitle=_("%(unit)s · exported %(time)s by %(user)s")
        % {"unit": user.unit, "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": user},
        columns=[Column(c.key, str(c.header), c.width, c.value) for c in SUPPLY_COLUMNS],
        rows=queryset.iterator(chunk_size=2000),
    )
    return table, queryset.count()


def contact_queryset(user, params):

    contacts = Contact.objects.visible_to(user).for_list().order_by("-date", "-pk")
    kind = params.get("kind", "")
    return contacts.filter(kind=kind) if kind in ContactKind.values else contacts


def build_contacts(user, params) -> tuple[Table, int]:
    """The contact log (visits, talks, hometown-fellow meetings) with the list's own filter and scope."""
    queryset = contact_queryset(user, params)
    table = Table(
        sheet=_("Contact log"),
        title=_("Contact log"),
        subtitle=_("%(unit)s · exported %(time)s by %(user)s")
        % {"unit": user.unit, "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": user},
        columns=[
            Column("date", str(gettext_lazy("Date")), 11, lambda c: c.date),
            Column("kind", str(gettext_lazy("Kind")), 12, lambda c: c.get_kind_display()),
            Column("township", str(gettext_lazy("Township")), 10, lambda c: str(c.township)),
            Column("place", str(gettext_lazy("Place")), 16, lambda c: c.place),
            Column(
                "people",
                str(gettext_lazy("Candidates met")),
                20,
                lambda c: "、".join(p.name for p in c.candidates.all()),
            ),
            Column("attendees", str(gettext_lazy("Attended for the township")), 16, lambda c: c.attendees),
            Column("discussed", str(gettext_lazy("What was discussed")), 36, lambda c: c.discussed),
            Column("outcome", str(gettext_lazy("Outcome")), 24, lambda c: c.outcome),
            Column("next", str(gettext_lazy("Next step")), 20, lambda c: c.next_step),
            Column("next_date", str(gettext_lazy("Next step by")), 11, lambda c: c.next_step_date),
        ],
        rows=queryset.iterator(chunk_size=2000),
    )
    return table, queryset.count()

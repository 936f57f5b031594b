import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cadre_pool import audit
from cadre_pool.models import AuditAction, Education, Gender, OrgUnit, PoliticalStatus
from cadre_pool.org.choices import code_choices, unit_choices
from candidates.completeness import incomplete_condition
from candidates.identity import whole_number
from candidates.models import Candidate, PoolStatus, SkillTag, SourceCategory, Willingness

# An empty filter means "any": say so instead of django-filter's dashes.
ALL = _("all")

# Choices are given as callables: read when a form is built, not when this module is imported (the
# code tables live in the database).


class StableOrderingFilter(django_filters.OrderingFilter):
    """The chosen order, then the primary key: a page holds the same rows however often it is read,
    and the order matches the list indexes (`name, id`)."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


class UnitFilter(django_filters.ChoiceFilter):
    """A township or village from the user's cached choices (cadre_pool.org.choices): a value that
    is not among them does not validate, so the filter cannot reach outside the user's scope."""

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}_id": int(value)}) if value not in (None, "") else qs


class CandidateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("search"),
        method="filter_text",
        widget=forms.TextInput(
            attrs={
                "placeholder": _("name, initials such as zxl, village, whole ID or phone, or name and last 4 digits")
            }
        ),
    )
    township = UnitFilter(label=_("township"), choices=[], empty_label=ALL)
    village = UnitFilter(label=_("village"), choices=[], empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("pool status"), choices=lambda: PoolStatus.choices, empty_label=ALL)
    source_category = django_filters.ChoiceFilter(
        label=_("source category"), choices=lambda: SourceCategory.choices, empty_label=ALL
    )
    # Code tables from the cache (cadre_pool.org.choices).
    gender = django_filters.ChoiceFilter(
        label=_("gender"), choices=lambda: code_choices(Gender, codes=("1", "2")), empty_label=ALL
    )
    age_min = django_filters.NumberFilter(label=_("age from"), method="filter_age_min", min_value=0, max_value=120)
    age_max = django_filters.NumberFilter(label=_("age to"), method="filter_age_max", min_value=0, max_value=120)
    education = django_filters.ChoiceFilter(
        label=_("education"),
        choices=lambda: code_choices(Education, top_level=True),
        method="filter_education",
        empty_label=ALL,
    )
    political_status = django_filters.ChoiceFilter(
        label=_("political status"), choices=lambda: code_choices(PoliticalStatus), empty_label=ALL
    )
    incomplete = django_filters.ChoiceFilter(
        label=_("incomplete file"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        method="filter_incomplete",
        empty_label=ALL,
    )
    sort = StableOrderingFilter(
        label=_("sort by"),
        empty_label=_("default order"),
        fields=(
            ("name", "name"),
            ("birth_date", "birth_date"),
            ("township__code", "township"),
            ("status", "status"),
            ("created_at", "created_at"),
        ),
        # Spelled out: django-filter's generic "(descending)" reads badly in Chinese.
        choices=lambda: [
            ("name", _("name, A to Z")),
            ("-name", _("name, Z to A")),
            ("-birth_date", _("youngest first")),
            ("birth_date", _("oldest first")),
            ("township", _("township")),
            ("status", _("pool status")),
            ("-created_at", _("newest files first")),
        ],
    )

    class Meta:
        model = Candidate
        fields = []

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # The township and village drop-downs offer the user's scope only (see _unit_choices).
        townships, villages = self._unit_choices(user)
        if townships is None:
            del self.filters["township"]  # an organiser's list is their township
        else:
            self.filters["township"].extra["choices"] = townships
        if villages is None:
            self.filters["village"].extra.update(choices=[], empty_label=_("choose a township first"))
        else:
            self.filters["village"].extra["choices"] = villages

    def _unit_choices(self, user) -> tuple[tuple | None, tuple | None]:
        """Townships in scope (None for an organiser's list, which has no township filter); the villages
        of the chosen (or the organiser's) township, or of the whole scope while that stays a usable
        list (None: too many to offer)."""
        townships, parent = None, None
        if user.is_organiser:
            parent = user.unit_id
        else:
            townships = unit_choices(user, OrgUnit.Level.TOWNSHIP)
            chosen = str((self.data or {}).get("township", ""))
            parent = next((pk for pk, _label in townships if str(pk) == chosen), None)
        villages = unit_choices(user, OrgUnit.Level.VILLAGE, parent)
        too_many = parent is None and len(villages) > settings.VILLAGE_CHOICES_LIMIT
        return (None if townships is None else tuple(townships)), (None if too_many else tuple(villages))

    def get_form_class(self):
        form_class = super().get_form_class()
        for field in form_class.base_fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
        return form_class

    def filter_text(self, queryset, name, value):
        number = whole_number(value)
        if number:
            audit.record(self.request, action=AuditAction.SEARCH_IDENTITY, value=number)
        return queryset.search(value)

    def filter_age_min(self, queryset, name, value):
        return queryset.aged(at_least=int(value))

    def filter_age_max(self, queryset, name, value):
        return queryset.aged(at_most=int(value))

    def filter_incomplete(self, queryset, name, value):
        """Not indexed: the completeness checks read columns outside the list indexes, and a partial
        index would need a migration whenever a check is added. In a township the rows come from the
        township's index range; across the district the capped count (cadre_pool.paging) reads files
        until it has cap + 1 matches, a full scan only when few files are incomplete."""
        if value == "yes":
            return queryset.incomplete()
        if value == "no":
            return queryset.exclude(incomplete_condition())
        return queryset

    def filter_education(self, queryset, name, value):
        return queryset.filter(Q(education_id=value) | Q(education__parent_id=value))


class SupplyFilter(CandidateFilter):
    """The talent supply list (人才供给清单): the candidate filters plus skills, work and availability."""

    class Availability:
        AVAILABLE = "available"
        RESERVED = "reserved"

    status = django_filters.ChoiceFilter(
        label=_("pool status"),
        choices=[(v, label) for v, label in PoolStatus.choices if v not in {PoolStatus.PROMOTED, PoolStatus.EXITED}],
        empty_label=ALL,
    )
    skills = django_filters.ModelMultipleChoiceFilter(
        label=_("industry experience and skills"),
        queryset=SkillTag.objects.filter(active=True),
        method="filter_skills",
    )
    has_industry_skill = django_filters.BooleanFilter(
        label=_("has industry experience or professional skill"),
        widget=forms.Select(choices=[("", ALL), ("true", _("yes")), ("false", _("no"))]),
    )
    occupation = django_filters.CharFilter(label=_("industry and occupation"), lookup_expr="contains")
    current_city = django_filters.CharFilter(label=_("where working or in business now"), lookup_expr="contains")
    willingness = django_filters.ChoiceFilter(
        label=_("willing to return home"), choices=Willingness.choices, empty_label=ALL
    )
    availability = django_filters.ChoiceFilter(
        label=_("availability"),
        choices=[
            (Availability.AVAILABLE, _("not yet meant for a village")),
            (Availability.RESERVED, _("reserve for a village")),
        ],
        empty_label=ALL,
        method="filter_availability",
    )

    def filter_skills(self, queryset, name, value):
        if not value:
            return queryset
        through = Candidate.skills.through.objects.filter(candidate=OuterRef("pk"), skilltag__in=value)
        return queryset.filter(Exists(through))

    def filter_availability(self, queryset, name, value):
        return queryset.filter(target_village__isnull=value == self.Availability.AVAILABLE)

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cadre_pool import audit
from cadre_pool.admin import RoleScopedAdmin
from cadre_pool.forms import HygienicModelForm
from cadre_pool.models import AuditAction, OrgUnit, Role
from candidates.identity import whole_number
from candidates.models import Candidate, PolicyItem, PoolEvent, SkillTag
from candidates.services import update_candidate


class PoolEventInline(admin.TabularInline):
    model = PoolEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "reason", "actor", "approved_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "approved_by")


class CandidateAdminForm(HygienicModelForm):
    """The version the user saw travels with the form: a save over someone else's is refused."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        # Locked until the admin's save ends (its change view runs in one transaction), so the
        # version compared here is the one update_candidate finds.
        current = Candidate.objects.select_for_update().filter(pk=self.instance.pk).values_list("version", flat=True)
        if cleaned.get("seen_version") not in (None, *current):
            raise forms.ValidationError(
                _("Someone else saved this file after you opened it. Reload the page to see their changes."),
                code="stale",
            )
        return cleaned


@admin.register(Candidate)
class CandidateAdmin(RoleScopedAdmin):
    form = CandidateAdminForm
    view_roles = frozenset({Role.ORGANISER, Role.DISTRICT_STAFF})
    change_roles = frozenset({Role.ORGANISER, Role.DISTRICT_STAFF})
    # New files and status changes go through the application pages, which record pool events.
    can_add = False
    list_display = ["name", "township", "village", "gender", "birth_date", "political_status", "status"]
    list_filter = ["status", "source_category", "gender"]
    # Searched by CandidateQuerySet.search (get_search_results): never by an ID or phone fragment.
    search_fields = ["name"]
    list_select_related = ["township", "village", "gender", "political_status"]
    readonly_fields = [
        "id_number_masked",
        "phone_masked",
        "township",
        "status",
        "version",
        "has_industry_skill",
        "created_by",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["village", "target_village"]
    # Skills are edited on the file page, whose service keeps the derived flag right; the ID number
    # and phone too, so that no admin page prints them in full (S11).
    exclude = ["skills", "id_number", "phone"]
    inlines = [PoolEventInline]

    @admin.display(description=_("resident ID number"))
    def id_number_masked(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("mobile phone"))
    def phone_masked(self, obj):
        return obj.masked_phone

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in {"village", "target_village"}:
            # Only villages the user may see validate: another township's is a form error.
            kwargs["queryset"] = OrgUnit.objects.visible_to(request.user).villages()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        number = whole_number(search_term)
        if number:
            audit.record(request, action=AuditAction.SEARCH_IDENTITY, value=number)
        return queryset.search(search_term), False

    def save_model(self, request, obj, form, change):
        update_candidate(
            actor=request.user,
            candidate_id=obj.pk,
            expected_version=form.cleaned_data["seen_version"],
            fields={name: form.cleaned_data[name] for name in form.changed_data},
        )


@admin.register(PoolEvent)
class PoolEventAdmin(RoleScopedAdmin):
    view_roles = frozenset({Role.ORGANISER, Role.DISTRICT_STAFF})
    change_roles = frozenset()
    can_add = False
    list_display = ["created_at", "candidate", "from_status", "to_status", "actor", "approved_by"]
    list_filter = ["to_status"]
    list_select_related = ["candidate", "actor", "approved_by"]
    search_fields = ["candidate__name"]


@admin.register(SkillTag)
class SkillTagAdmin(RoleScopedAdmin):
    """The managed vocabulary of industry experience and skills: system administrators keep it."""

    list_display = ["name", "kind", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    list_filter = ["kind", "active"]


@admin.register(PolicyItem)
class PolicyItemAdmin(RoleScopedAdmin):
    """The return-home policy list: system administrators keep it (DESIGN: reference data)."""

    list_display = ["title", "category", "unit", "amount", "issuing_body", "valid_from", "valid_to", "active"]
    list_filter = ["category", "active"]
    search_fields = ["title", "issuing_body"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]

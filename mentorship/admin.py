from django import forms
from django.contrib import admin

from cadre_pool.admin import RoleScopedAdmin
from cadre_pool.forms import MaskedOnEditMixin, StaleEditMixin, TextHygieneMixin
from cadre_pool.models import Role
from mentorship.models import (
    Mentor,
    MentorAssignment,
    MentoringLog,
    Placement,
    PlanItem,
    PostType,
    Secondment,
    TrainingCourse,
)

WORKERS = frozenset({Role.ORGANISER, Role.DISTRICT_STAFF})


@admin.register(PostType)
class PostTypeAdmin(RoleScopedAdmin):
    list_display = ["name", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    search_fields = ["name"]


class MentorAdminForm(StaleEditMixin, TextHygieneMixin, MaskedOnEditMixin, forms.ModelForm):
    masked_on_edit = {"phone": "masked_phone"}

    class Meta:
        model = Mentor
        fields = ["name", "role", "work_unit", "township", "user", "phone", "capacity", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mask_stored_values()

    def clean_phone(self):
        return self.stored_if_empty("phone", self.cleaned_data.get("phone", ""))


@admin.register(Mentor)
class MentorAdmin(RoleScopedAdmin):
    form = MentorAdminForm
    view_roles = WORKERS
    change_roles = WORKERS
    list_display = ["name", "role", "township", "work_unit", "capacity", "active"]
    list_filter = ["role", "active"]
    search_fields = ["name", "work_unit"]
    list_select_related = ["township"]
    raw_id_fields = ["township", "user"]


class CandidateRecordAdmin(RoleScopedAdmin):
    """Read-only in the admin: these records are written through the cultivation pages' services."""

    view_roles = WORKERS
    change_roles = frozenset()
    can_add = False
    search_fields = ["candidate__name"]


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(CandidateRecordAdmin):
    list_display = ["candidate", "mentor", "is_lead", "start_date", "end_date"]
    list_filter = ["is_lead"]
    list_select_related = ["candidate", "mentor"]


@admin.register(MentoringLog)
class MentoringLogAdmin(CandidateRecordAdmin):
    list_display = ["date", "candidate", "mentor", "kind"]
    list_filter = ["kind"]
    list_select_related = ["candidate", "mentor"]


@admin.register(PlanItem)
class PlanItemAdmin(CandidateRecordAdmin):
    list_display = ["candidate", "kind", "goal", "due_date", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["candidate"]


@admin.register(Placement)
class PlacementAdmin(CandidateRecordAdmin):
    list_display = ["candidate", "post_type", "village", "start_date", "end_date"]
    list_filter = ["post_type"]
    list_select_related = ["candidate", "post_type", "village"]


@admin.register(Secondment)
class SecondmentAdmin(CandidateRecordAdmin):
    list_display = ["candidate", "host_village", "mode", "planned_start", "planned_end", "actual_end"]
    list_filter = ["mode"]
    list_select_related = ["candidate", "host_village"]


@admin.register(TrainingCourse)
class TrainingCourseAdmin(CandidateRecordAdmin):
    list_display = ["candidate", "name", "organiser", "start_date", "hours"]
    list_select_related = ["candidate"]

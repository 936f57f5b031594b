from django.contrib import admin

from assessments.models import Assessment, Decision, Evidence, Review, ReviewRound
from cadre_pool.admin import RoleScopedAdmin
from cadre_pool.models import Role

WORKERS = frozenset({Role.ORGANISER, Role.DISTRICT_STAFF})


class ReadOnlyAdmin(RoleScopedAdmin):
    """Management records are written through the application's services; the admin only shows them."""

    view_roles = WORKERS
    change_roles = frozenset()
    can_add = False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["date", "candidate", "kind", "rating", "recorded_by"]
    list_filter = ["kind", "rating"]
    list_select_related = ["candidate", "recorded_by"]
    search_fields = ["candidate__name"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "assessment", "content_type", "size", "uploaded_at"]
    list_select_related = ["assessment", "assessment__candidate"]
    exclude = ["file"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "period_start", "period_end", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["unit"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["round", "candidate", "conclusion", "proposal_status", "filled_at"]
    list_filter = ["conclusion", "proposal_status"]
    list_select_related = ["round", "candidate"]
    search_fields = ["candidate__name"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["decided_at", "candidate", "kind", "exit_reason", "post", "village", "decided_by"]
    list_filter = ["kind", "exit_reason"]
    list_select_related = ["candidate", "village", "decided_by"]

from django.urls import path

from mentorship import picklists, views

app_name = "mentorship"

urlpatterns = [
    path("mentors/", views.MentorListView.as_view(), name="mentors"),
    path("logs/", views.mentoring_log_list, name="logs"),
    path("mentors/new/", views.mentor_edit, name="mentor_create"),
    path("mentors/<int:pk>/edit/", views.mentor_edit, name="mentor_edit"),
    path("candidates/<int:pk>/", views.candidate_cultivation, name="candidate"),
    path("candidates/<int:pk>/mentors/", views.AssignMentorView.as_view(), name="assign_mentor"),
    path("candidates/<int:pk>/mentors/picklist/", picklists.mentor_picklist, name="mentor_picklist"),
    path("candidates/<int:pk>/logs/", views.MentoringLogView.as_view(), name="log_create"),
    path("candidates/<int:pk>/plan/", views.PlanItemView.as_view(), name="plan_create"),
    path("candidates/<int:pk>/placements/", views.PlacementView.as_view(), name="placement_create"),
    path("candidates/<int:pk>/secondments/", views.SecondmentView.as_view(), name="secondment_create"),
    path("candidates/<int:pk>/courses/", views.CourseView.as_view(), name="course_create"),
    path("assignments/<int:pk>/end/", views.EndAssignmentView.as_view(), name="assignment_end"),
    path("placements/<int:pk>/end/", views.EndPlacementView.as_view(), name="placement_end"),
    path("secondments/<int:pk>/end/", views.EndSecondmentView.as_view(), name="secondment_end"),
    path("secondments/<int:pk>/length/", views.SecondmentLengthDecisionView.as_view(), name="secondment_decide"),
    path("plan-items/<int:pk>/status/", views.plan_item_status, name="plan_item_status"),
]

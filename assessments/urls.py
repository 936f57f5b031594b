from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("candidates/<int:pk>/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("candidates/<int:pk>/exit/", views.ExitDecisionView.as_view(), name="decide_exit"),
    path("candidates/<int:pk>/promote/", views.PromotionDecisionView.as_view(), name="decide_promotion"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/add/", views.round_add, name="round_add"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/report/", views.round_report, name="round_report"),
    path("reviews/<int:pk>/", views.review_fill, name="review"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/decline/", views.DeclineProposalView.as_view(), name="decline"),
]

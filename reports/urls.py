from django.urls import path

from reports import coverage, dashboard, registration, views

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo_list, name="todo"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/townships/", dashboard.township_comparison, name="township_comparison"),
    path("audit/candidates/<int:pk>/", views.candidate_history, name="audit_candidate"),
    path("candidates/coverage/", coverage.coverage, name="coverage"),
    path("candidates/roster/", views.roster_options, name="roster_options"),
    path("candidates/<int:pk>/", views.CandidateFileView.as_view(), name="candidate_file"),
    path("candidates/<int:pk>/reveal/", views.CandidateRevealView.as_view(), name="candidate_reveal"),
    path("management/figures/", views.pool_figures, name="pool_figures"),
    path("candidates/<int:pk>/registration/", registration.registration_form, name="registration_form"),
]

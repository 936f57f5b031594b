from django.urls import path

from candidates import views

app_name = "candidates"

urlpatterns = [
    path("", views.CandidateListView.as_view(), name="list"),
    path("new/", views.candidate_create, name="create"),
    path("funnel/", views.funnel, name="funnel"),
    path("<int:pk>/", views.CandidateDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="edit"),
    path("<int:pk>/status/", views.candidate_change_status, name="change_status"),
]

from django.urls import path

from candidates import picklists, views, views_import, views_needs, views_outreach

app_name = "candidates"

urlpatterns = [
    path("", views.CandidateListView.as_view(), name="list"),
    path("new/", views.candidate_create, name="create"),
    path("picklist/", picklists.candidate_picklist, name="picklist"),
    path("import/", views_import.import_upload, name="import"),
    path("import/template/", views_import.import_template, name="import_template"),
    path("import/<int:pk>/", views_import.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/<int:pk>/errors/", views_import.import_errors, name="import_errors"),
    path("funnel/", views.funnel, name="funnel"),
    path("supply/", views.SupplyListView.as_view(), name="supply"),
    path("contacts/", views_outreach.contact_list, name="contacts"),
    path("contacts/new/", views_outreach.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views_outreach.contact_correct, name="contact_correct"),
    path("policies/", views_outreach.policy_list, name="policies"),
    path("policies/uptake/", views_outreach.policy_uptake, name="policy_uptake"),
    path("needs/", views_needs.need_list, name="needs"),
    path("needs/new/", views_needs.need_create, name="need_create"),
    path("needs/<int:pk>/", views_needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views_needs.need_edit, name="need_edit"),
    path("needs/<int:pk>/assign/", views_needs.need_assign, name="need_assign"),
    path("coverage/", views_needs.coverage, name="coverage"),
    path("policies/handed/<int:pk>/uptake/", views_outreach.delivery_uptake, name="delivery_uptake"),
    path("<int:pk>/edit/", views.candidate_edit, name="edit"),
    path("<int:pk>/status/", views.candidate_change_status, name="change_status"),
]

from django.urls import path

from candidates import picklists
from candidates.views import files, imports, needs, outreach

app_name = "candidates"

urlpatterns = [
    path("", files.CandidateListView.as_view(), name="list"),
    path("new/", files.candidate_create, name="create"),
    path("picklist/", picklists.candidate_picklist, name="picklist"),
    path("import/", imports.import_upload, name="import"),
    path("import/template/", imports.import_template, name="import_template"),
    path("import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/<int:pk>/errors/", imports.import_errors, name="import_errors"),
    path("funnel/", files.funnel, name="funnel"),
    path("supply/", files.SupplyListView.as_view(), name="supply"),
    path("contacts/", outreach.contact_list, name="contacts"),
    path("contacts/new/", outreach.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", outreach.contact_correct, name="contact_correct"),
    path("policies/", outreach.policy_list, name="policies"),
    path("policies/uptake/", outreach.policy_uptake, name="policy_uptake"),
    path("needs/", needs.need_list, name="needs"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<int:pk>/assign/", needs.need_assign, name="need_assign"),
    path("policies/handed/<int:pk>/uptake/", outreach.delivery_uptake, name="delivery_uptake"),
    path("<int:pk>/edit/", files.candidate_edit, name="edit"),
    path("<int:pk>/status/", files.candidate_change_status, name="change_status"),
]

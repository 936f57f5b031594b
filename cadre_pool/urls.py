from django.conf.urls.i18n import set_language
from django.contrib import admin
from django.urls import include, path

from cadre_pool import export_views, views
from cadre_pool.access.declarations import PUBLIC, access
from cadre_pool.accounts import otp_views
from cadre_pool.audit import views as audit_views
from cadre_pool.org import picklists

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/otp/", otp_views.otp_verify, name="otp_verify"),
    path("accounts/otp/setup/", otp_views.otp_setup, name="otp_setup"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("i18n/setlang/", access(PUBLIC)(set_language), name="set_language"),
    path("exports/<int:pk>/", export_views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("picklists/villages/", picklists.village_picklist, name="village_picklist"),
    path("", include("reports.urls")),
    path("candidates/", include("candidates.urls")),
    path("cultivation/", include("mentorship.urls")),
    path("management/", include("assessments.urls")),
    path("admin/", admin.site.urls),
]

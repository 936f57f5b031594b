from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cadre_pool import audit
from cadre_pool.access import ANY_ROLE, PUBLIC, RoleRequiredMixin, access
from cadre_pool.auth import LoginForm
from cadre_pool.models import AuditAction, User


@never_cache
@access(PUBLIC)
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class LoginView(auth_views.LoginView):
    access_roles = PUBLIC
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(RoleRequiredMixin, auth_views.PasswordChangeView):
    """Change one's own password; also the page an expired password leads to (S2)."""

    allowed_roles = ANY_ROLE
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        User.objects.filter(pk=self.request.user.pk).update(must_change_password=False)
        audit.record(self.request, action=AuditAction.PASSWORD_CHANGE, obj=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class LogoutView(auth_views.LogoutView):
    access_roles = PUBLIC

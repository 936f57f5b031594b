from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cadre_pool.access.declarations import ANY_ROLE, PUBLIC, RoleRequiredMixin, access
from cadre_pool.accounts.auth import LoginForm, change_own_password


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
        # The write goes through the service instead of PasswordChangeForm.save().
        change_own_password(actor=self.request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


class LogoutView(auth_views.LogoutView):
    access_roles = PUBLIC

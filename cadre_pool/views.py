from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.db import connection
from django.db.models import Count
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cadre_pool import todo
from cadre_pool.access import ANY_ROLE, PUBLIC, READERS, RoleRequiredMixin, access
from cadre_pool.auth import LoginForm, change_own_password
from candidates.models import Candidate, PoolStatus


@access(ANY_ROLE)
def home(request):
    counts = {}
    if request.user.can_read_candidates:
        rows = Candidate.objects.visible_to(request.user).values("status").annotate(n=Count("pk")).order_by()
        counts = {row["status"]: row["n"] for row in rows}
    statuses = [(status, counts.get(status.value, 0)) for status in PoolStatus]
    return render(request, "cadre_pool/home.html", {"statuses": statuses, "total": sum(counts.values())})


@access(READERS)
def todo_list(request):
    """待办: what needs action in the user's scope today, gathered from every app."""
    items = todo.items_for(request.user, timezone.localdate())
    kinds = sorted({(item.kind, item.kind_label) for item in items})
    selected = request.GET.get("kind", "")
    if selected:
        items = [item for item in items if item.kind == selected]
    return render(request, "cadre_pool/todo.html", {"items": items, "kinds": kinds, "selected": selected})


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

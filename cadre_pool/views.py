from django.contrib.auth import views as auth_views
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cadre_pool.access import ANY_ROLE, PUBLIC, access
from candidates.models import Candidate, PoolStatus


@access(ANY_ROLE)
def home(request):
    counts = {}
    if request.user.can_read_candidates:
        rows = Candidate.objects.visible_to(request.user).values("status").annotate(n=Count("pk")).order_by()
        counts = {row["status"]: row["n"] for row in rows}
    statuses = [(status, counts.get(status.value, 0)) for status in PoolStatus]
    return render(request, "cadre_pool/home.html", {"statuses": statuses, "total": sum(counts.values())})


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
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    access_roles = PUBLIC

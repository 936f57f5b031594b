"""Deny by default (S7): every view behind a URL declares who may use it."""

from django.urls import URLPattern, URLResolver, get_resolver

from cadre_pool.access.declarations import declared_roles


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin site checks roles itself (CadreAdminSite, RoleScopedAdmin)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_view_declares_its_roles():
    undeclared = [route for route, view in _walk(get_resolver().url_patterns) if declared_roles(view) is None]
    assert undeclared == []


def test_the_walker_sees_the_candidate_pages():
    routes = {route for route, _ in _walk(get_resolver().url_patterns)}
    assert "candidates/<int:pk>/edit/" in routes
    assert "healthz" in routes


def test_csrf_is_enforced_on_state_changes(reference, organiser, mingyang_candidate):
    from django.test import Client
    from django.urls import reverse

    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = client.post(reverse("candidates:change_status", args=[mingyang_candidate.pk]), {"to_status": "exited"})
    assert response.status_code == 403

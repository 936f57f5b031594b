"""The site's URLs plus two reference views: the bare view the throughput figure is measured against,
and the file page's floor (bench/measure.py)."""

from functools import cache

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import include, path
from django.utils.safestring import mark_safe

from bench import statements as replay


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


# Set by the measuring process before the floor view is requested: the file page's data statements as
# the raw side runs them ((sql, params) pairs) and the HTML the page draws inside base.html's content block.
FLOOR = {"statements": [], "content": ""}


@cache
def _floor_template():
    return engines["django"].from_string('{% extends "base.html" %}{% block content %}{{ content }}{% endblock %}')


def floor(request):
    """The least any page showing the file's rows can cost on this site: the same request (middleware,
    session, user), the page's own statements through Django's cursor with every row fetched, and
    base.html drawn around the page's finished HTML. Only turning the rows into that HTML is left out."""
    with connection.cursor() as cursor:
        replay.run(cursor, FLOOR["statements"])
    return TemplateResponse(request, _floor_template(), {"content": mark_safe(FLOOR["content"])})  # noqa: S308 - our page's own HTML


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("cadre_pool.urls")),
]

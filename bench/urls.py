"""The site's URLs plus two reference views: the bare view the throughput figure is measured against,
and the file page's floor (bench/measure.py)."""

from contextlib import nullcontext
from functools import cache

from django.db import connection, transaction
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import include, path
from django.utils.safestring import mark_safe


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


# Set by the measuring process before the floor view is requested: the file page's data statements and
# the HTML the page draws inside base.html's content block.
FLOOR = {"statements": [], "content": ""}


@cache
def _floor_template():
    return engines["django"].from_string('{% extends "base.html" %}{% block content %}{{ content }}{% endblock %}')


def floor(request):
    """The least any page showing the file's rows can cost on this site: the same request (middleware,
    session, user), the page's own statements through Django's cursor with every row fetched, and
    base.html drawn around the page's finished HTML. Only turning the rows into that HTML is left out."""
    statements = FLOOR["statements"]
    # A SET LOCAL among them holds for the transaction, as on the raw side.
    in_transaction = transaction.atomic() if any(sql.startswith("SET LOCAL") for sql in statements) else nullcontext()
    with in_transaction, connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
    return TemplateResponse(request, _floor_template(), {"content": mark_safe(FLOOR["content"])})  # noqa: S308 - our page's own HTML


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("cadre_pool.urls")),
]

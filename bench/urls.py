"""The site's URLs plus the bare reference view the throughput figure is measured against."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), path("", include("cadre_pool.urls"))]

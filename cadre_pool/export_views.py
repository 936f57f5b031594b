from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from cadre_pool import exports
from cadre_pool.access import READERS, access
from cadre_pool.models import Export
from cadre_pool.roster import DEFAULT_COLUMNS, ROSTER_COLUMNS


@access(READERS)
def roster_options(request):
    """Choose and order the roster's columns; the current list filters travel along unchanged.

    The form posts here: a POST is the only way to full ID numbers and phones (S11).
    """
    if request.method == "POST":
        return exports.respond(request, "roster")
    filters = [(key, value) for key in request.GET for value in request.GET.getlist(key) if key not in {"page"}]
    columns = [(column, DEFAULT_COLUMNS.index(column.key) + 1) for column in ROSTER_COLUMNS]
    return render(request, "cadre_pool/roster_options.html", {"filters": filters, "columns": columns})


@access(READERS)
def export_status(request, pk):
    export = get_object_or_404(Export.objects.visible_to(request.user), pk=pk)
    return render(request, "cadre_pool/export_status.html", {"export": export})


@access(READERS)
def export_download(request, pk):
    export = get_object_or_404(Export.objects.visible_to(request.user), pk=pk, status=Export.Status.DONE)
    if not export.file:
        raise Http404
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename)
    response["Cache-Control"] = "no-store, private"
    return response

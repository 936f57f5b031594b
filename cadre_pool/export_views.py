from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from cadre_pool.access.declarations import READERS, access
from cadre_pool.models import Export


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

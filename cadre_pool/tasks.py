from django.tasks import task

from cadre_pool import exports
from cadre_pool.models import Export


@task()
def build_export(export_id: int) -> int:
    # No surrounding transaction: the progress page must see each progress update as it is written.
    export = Export.objects.select_related("owner", "owner__unit").get(pk=export_id)
    try:
        export = exports.run(export)
    except Exception as exc:
        Export.objects.filter(pk=export_id).update(status=Export.Status.FAILED, error=repr(exc)[:2000])
        raise
    return export.written

from django.utils.translation import gettext_lazy as _

from cadre_pool import timeline


@timeline.register("pool", _("pool status"))
def pool_events(candidate):
    # The detail queryset prefetches events with their actors: no query here.
    for event in candidate.events.all():
        title = (
            f"{event.get_from_status_display()} → {event.get_to_status_display()}"
            if event.from_status
            else event.get_to_status_display()
        )
        yield timeline.TimelineEntry(
            at=event.created_at,
            kind="pool",
            kind_label=str(_("pool status")),
            title=title,
            detail=event.reason,
            actor=str(event.actor),
        )

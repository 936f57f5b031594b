"""The township scoping rule, shared by every model that belongs to a township."""

from django.db.models import Q

from cadre_pool.models import OrgUnit


def township_scope(user, township_field: str = "township") -> Q | None:
    """A filter for rows whose `township_field` lies in the user's subtree, or None when they see nothing.

    An organiser's unit is their township: one indexed equality. Above a township, the
    township's materialised path starts with the user's unit path.
    """
    if not (user.is_authenticated and user.can_read_candidates and user.unit_id):
        return None
    unit = user.unit
    if unit.level == OrgUnit.Level.TOWNSHIP:
        return Q(**{f"{township_field}_id": unit.pk})
    return Q(**{f"{township_field}__path__startswith": unit.path})

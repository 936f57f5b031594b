"""The township scoping rule, shared by every model that belongs to a township."""

from django.db import models
from django.db.models import Q

from cadre_pool import audit


def _scope_unit(user):
    """The unit whose subtree the user sees, or None when they see no candidates at all."""
    if not (user.is_authenticated and user.can_read_candidates and user.unit_id):
        return None
    return user.unit


def _is_township(unit) -> bool:
    return unit.level == unit.Level.TOWNSHIP


def township_scope(user, township_field: str = "township") -> Q | None:
    """A filter for rows whose `township_field` lies in the user's subtree, or None when they see nothing.

    An organiser's unit is their township: one indexed equality. Above a township, the
    township's materialised path starts with the user's unit path.
    """
    unit = _scope_unit(user)
    if unit is None:
        return None
    if _is_township(unit):
        return Q(**{f"{township_field}_id": unit.pk})
    return Q(**{f"{township_field}__path__startswith": unit.path})


class ScopedQuerySet(models.QuerySet):
    """A queryset with `visible_to(user)`, the only way views reach rows of a township.

    Subclasses define `_visible_to(user)`. A `get()` on the narrowed queryset (which is what
    `get_object_or_404` calls) that finds nothing asks whether the row exists outside the user's
    scope; when it does, the refusal becomes an audit row (S9). The user still gets a plain 404.
    """

    def visible_to(self, user):
        queryset = self._visible_to(user).all()  # a copy of its own, whatever _visible_to returned
        # Kept on the query, which every chained queryset copies with its attributes.
        queryset.query.scoped_for = user
        return queryset

    @property
    def scoped_for(self):
        """The user whose scope narrowed this queryset (visible_to), or None."""
        return getattr(self.query, "scoped_for", None)

    def _visible_to(self, user):
        raise NotImplementedError

    def get(self, *args, **kwargs):
        try:
            return super().get(*args, **kwargs)
        except self.model.DoesNotExist:
            if self.scoped_for is not None:
                self._note_refusal(args, kwargs)
            raise

    def _note_refusal(self, args, kwargs):
        if not args and not kwargs:
            return  # get() on an already filtered queryset: which row was asked for is not known here
        manager = self.model._default_manager
        pk = manager.filter(*args, **kwargs).values_list("pk", flat=True).first()
        # Rows that other filters of this queryset left out (a round's reviews, a finished export)
        # are not a scope refusal: only a row the user could not see at all is.
        if pk is not None and not manager.visible_to(self.scoped_for).filter(pk=pk).exists():
            audit.refused(self.scoped_for, self.model, pk)

"""Who may use which view. Every view declares its roles; the URL walker test enforces it."""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from cadre_pool.roles import CANDIDATE_READERS, CANDIDATE_WRITERS, Role

PUBLIC = frozenset({"public"})
ANY_ROLE = frozenset(Role.values)
READERS = CANDIDATE_READERS
WRITERS = CANDIDATE_WRITERS


def _allowed(user, roles: frozenset) -> bool:
    return user.is_active and user.role in roles


def access(roles: Iterable[str]) -> Callable:
    """Declare the roles that may call a function view; anonymous users go to the login page."""
    roles = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if roles is not PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if not _allowed(request.user, roles):
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access_roles = roles
        return wrapper

    return decorator


class RoleRequiredMixin(LoginRequiredMixin):
    """Class-based counterpart of `access`: set `allowed_roles` on the view."""

    allowed_roles: frozenset | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.allowed_roles is None or not _allowed(request.user, self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def declared_roles(view) -> frozenset | None:
    """The roles a resolved view callable declares, or None when it declares nothing."""
    if hasattr(view, "access_roles"):
        return view.access_roles
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "allowed_roles", None) or getattr(view_class, "access_roles", None)
    return None

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from cadre_pool.accounts.auth import locked_until


class ScopedModelBackend(ModelBackend):
    """Loads the user with their unit in one query: every page needs the unit to scope its data.

    A username locked after repeated failures (S3) is refused here, whatever the password, so that
    every sign-in path (our page, the admin's) obeys the lock.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):

        if username is not None and locked_until(username) is not None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        # An inactive user is returned on purpose: the session hash (User.session_auth_hash)
        # covers is_active, so Django flushes the session instead of merely ignoring it, and
        # enabling the account again does not revive it (S4).
        return get_user_model()._default_manager.select_related("unit").filter(pk=user_id).first()

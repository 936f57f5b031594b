from django.contrib.auth.backends import ModelBackend


class ScopedModelBackend(ModelBackend):
    """Loads the user with their unit in one query: every page needs the unit to scope its data."""

    def get_user(self, user_id):
        user = self._default_manager_with_unit().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def _default_manager_with_unit(self):
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.select_related("unit")

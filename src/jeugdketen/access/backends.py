"""The login backend: Django's password check, and a signed-in user read with what every
page asks about them next (their professional and its organisation) in one statement."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """ModelBackend whose `get_user` (run once per request by the session middleware) joins
    the professional and the organisation: the role checks of a page and the actor built
    from the user then need no statement of their own (issue 10, the family page)."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("professional__organisation")
        try:
            user = users.get(pk=user_id)
        except (get_user_model().DoesNotExist, ValueError, TypeError):
            return None
        return user if self.user_can_authenticate(user) else None

"""How people sign in: passwords as Django checks them, with one rule of the portal's own. An
API client account (another government system) works through the API with its token only:
it never holds a web session, so the web pages' rules for people never apply to it."""

from django.contrib.auth.backends import ModelBackend

from portal.roles import Role, has_role


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        # A session that names an API client account is no session: the request is
        # anonymous (the web UI and the API's session authentication alike).
        user = super().get_user(user_id)
        if user is not None and has_role(user, Role.API_CLIENT):
            return None
        return user

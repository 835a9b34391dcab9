"""Who may open the crew pages, the school portal and the planning pages."""

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from backend.core.roles import role_of


def role_page(*roles: str, denied: str = gettext_lazy("U heeft geen toegang tot deze pagina.")):
    """Anonymous → the login page; a logged-in user without one of `roles` → 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if role_of(request.user) not in roles:
                raise PermissionDenied(str(denied))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

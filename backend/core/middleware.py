from django.conf import settings
from django.db import transaction
from django.utils import translation


class DutchFirstLocaleMiddleware:
    """Dutch unless the user chose another language (the language cookie set by /i18n/setlang/).

    Django's LocaleMiddleware follows the browser's Accept-Language, which would give a crew
    tablet set up in English an English day sheet; the product is Dutch first (PRODUCT.md rule 8).
    The JSON API has no language cookie to set, so there an explicit Accept-Language naming a
    supported language (e.g. `en`) picks the language of refusals; without one it stays Dutch.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in self.supported and request.path.startswith("/api/"):
            chosen = self._asked(request.headers.get("Accept-Language", ""))
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    def _asked(self, header: str) -> str | None:
        """The first supported language in Accept-Language (by q-value), None without one."""
        try:
            ranked = translation.trans_real.parse_accept_lang_header(header[:500])
        except ValueError:
            return None
        for code, _q in ranked:
            base = code.lower().split("-")[0]
            if base in self.supported:
                return base
        return None


class AtomicApiWritesMiddleware:
    """Every API write is one transaction, rolled back when the answer is an error.

    Services validate before they write and are atomic themselves; this makes it hold for the
    whole request too: a view that wrote and then failed while building its answer (a 400 or a
    500 after the service returned) leaves nothing behind. Reads are left alone (on SQLite a
    transaction here would take the write lock).
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
    # A failed login must stay recorded (django-axes counts it for the lock-out).
    EXEMPT_PREFIXES = ("/api/v1/auth/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in self.SAFE_METHODS
            or not request.path.startswith("/api/")
            or request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

"""API tokens (django-rest-knox): revoked on logout, on logout-all and on any password change.

Knox stores only a hash of each token; a token expires `TOKEN_TTL` after its last use (sliding,
`AUTO_REFRESH`) and at the latest `AUTO_REFRESH_MAX_TTL` after the login (settings.REST_KNOX).
An expired token is refused and deleted when it is used; the user's other expired tokens are
deleted at their next login (knox itself would read all of a user's tokens on every request).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher, is_password_usable
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's token authentication, without its scan of all the user's other tokens on every
    request (one query each time, and a write in a read): only the presented token's expiry
    counts; `delete_expired_tokens` clears the rest at login."""

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of `TokenAuthentication` (drf-spectacular's knox one)."""

    target_class = TokenAuthentication


def delete_expired_tokens(user) -> int:
    """Delete the expired API tokens of `user`; returns how many there were."""
    count, _ = AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return count


def revoke_tokens(user) -> int:
    """Delete every API token of `user`; returns how many there were."""
    count, _ = AuthToken.objects.filter(user=user).delete()
    return count


def _is_hash_upgrade(old: str, new: str, instance) -> bool:
    """Django re-hashes a correct password when the hasher's settings changed (check_password's
    setter); that is not a password change and must not log every tablet out."""
    if getattr(instance, "_password", None) is not None:
        return False  # set_password() was called: a real change, even to the same password
    if not (is_password_usable(old) and is_password_usable(new)):
        return False
    try:
        old_hasher = identify_hasher(old)
    except ValueError:
        return False
    preferred = get_hasher("default")
    return old_hasher.algorithm != preferred.algorithm or preferred.must_update(old)


def _note_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._tw_password_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return  # e.g. last_login on every login: no extra query
    old = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        instance._tw_password_changed = not _is_hash_upgrade(old, instance.password, instance)


def _revoke_on_password_change(sender, instance, **kwargs):
    if getattr(instance, "_tw_password_changed", False):
        instance._tw_password_changed = False
        revoke_tokens(instance)


def connect_signals() -> None:
    """Any path that saves a new password — set_password() + save(), the admin, the password
    change views, `changepassword` — goes through the user's save(). QuerySet.update() does not;
    nothing in this project changes passwords that way."""
    user_model = get_user_model()
    pre_save.connect(_note_password_change, sender=user_model, dispatch_uid="tw_password_pre")
    post_save.connect(
        _revoke_on_password_change, sender=user_model, dispatch_uid="tw_password_post"
    )

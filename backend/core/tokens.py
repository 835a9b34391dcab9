"""API tokens (django-rest-knox): revoked on logout, on logout-all and on any password change.

Knox stores only a hash of each token; a token expires `TOKEN_TTL` after its last use (sliding,
`AUTO_REFRESH`) and at the latest `AUTO_REFRESH_MAX_TTL` after the login (settings.REST_KNOX).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher, is_password_usable
from django.db.models.signals import post_save, pre_save
from knox.models import AuthToken


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

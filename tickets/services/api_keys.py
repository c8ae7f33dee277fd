"""API keys: made and revoked by supervisors, checked on every API request."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from tickets.models import ApiKey
from tickets.services.timeline import Actor

KEY_PREFIX = "as_"
# Writing last_used_at on every request would make each API read a write; once a minute
# is precise enough to tell a live integration from a dead one.
LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(key: str) -> str:
    # Keys carry 256 random bits, so a fast hash is safe (no password-style stretching needed).
    return hashlib.sha256(key.encode()).hexdigest()


def _service_user(name: str) -> User:
    """The account a key acts as when none is given: one per integration, in Integrations
    (an agent's rights plus feeding in orders; it sees every case)."""
    username = f"api-{slugify(name)}"[:150]
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name="Integrations"))
    return user


@transaction.atomic
def api_key_create(
    *, name: str, scope: str, actor: Actor, user: User | None = None
) -> tuple[ApiKey, str]:
    """Make a key; returns (ApiKey, the key itself). The key is never stored, only its hash.
    `actor` is recorded as who made it (None: the command line)."""
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey(
        name=name,
        scope=scope,
        prefix=prefix,
        hashed_key=_hash(key),
        user=user or _service_user(name),
        created_by=actor,
    )
    api_key.full_clean()
    api_key.save()
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: Actor) -> ApiKey:
    """Stop a key from working, at once and for good; `actor` is recorded as who revoked it.
    Revoking a revoked key changes nothing (the first revocation's time and actor stay)."""
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    api_key.refresh_from_db()
    return api_key


def api_key_check(key: str) -> ApiKey | None:
    """The active key matching `key`, or None; notes when it was last used."""
    try:
        _, prefix, _ = key.split("_", 2)
    except ValueError:
        return None
    api_key = (
        ApiKey.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    )
    if api_key is None or not hmac.compare_digest(api_key.hashed_key, _hash(key)):
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key

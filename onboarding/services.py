"""Every write of onboarding: invitations (create, accept) and access requests (create,
approve, decline). The school import's write lives in `onboarding.importing`."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.roles import SCHOOL
from bookings.models import School, SchoolMembership
from onboarding import emails
from onboarding.exceptions import OnboardingError
from onboarding.models import AccessRequest, Invitation

INVITATION_VALID = dt.timedelta(days=7)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    # One account per address, whatever capitals the coordinator or teacher typed.
    return email.strip().lower()


def _account_exists(email: str) -> bool:
    User = get_user_model()
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


@transaction.atomic
def invitation_create(
    *, school: School, email: str, name: str = "", acting_user
) -> tuple[Invitation, str]:
    """Invite `email` to become a user of `school`: revokes that address's open invitations for
    the school, stores the new link's hash and queues the e-mail. Returns the invitation and the
    token (shown once, in the e-mail; only its hash is kept)."""
    email = normalise_email(email)
    if _account_exists(email):
        raise OnboardingError(
            _("Er bestaat al een account met dit e-mailadres."), code="account_exists"
        )
    now = timezone.now()
    for old in Invitation.objects.select_for_update().filter(
        school=school, email=email, used_at__isnull=True, revoked_at__isnull=True
    ):
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                school=school,
                email=email,
                name=name.strip(),
                token_hash=token_hash(token),
                created_at=now,
                expires_at=now + INVITATION_VALID,
                created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
            )
    except IntegrityError:
        # Another invitation to this address for this school was made at the same moment.
        raise OnboardingError(
            _("Er is zojuist al een uitnodiging naar dit adres verstuurd."),
            code="invitation_conflict",
        ) from None
    emails.invitation_queue(invitation=invitation, token=token)
    return invitation, token


def invitation_open(token: str) -> Invitation | None:
    """The invitation this token opens, or None: unknown, tampered, used, revoked or expired
    links are all the same to the visitor."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("school").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str):
    """Create the school user for an open invitation with the chosen password; the link is used
    up. Raises OnboardingError (404) for a link that no longer works and Django's
    ValidationError for a password the validators refuse (nothing written)."""
    gone = OnboardingError(
        _("Deze link is verlopen of al gebruikt."), code="invitation_gone", status_code=404
    )
    if not token or len(token) > 100:
        raise gone
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    now = timezone.now()
    if invitation is None or not invitation.is_open(now):
        raise gone
    if _account_exists(invitation.email):
        raise OnboardingError(
            _("Er bestaat al een account met dit e-mailadres."), code="account_exists"
        )
    User = get_user_model()
    user = User(username=invitation.email, email=invitation.email, first_name=invitation.name[:150])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    group, _created = Group.objects.get_or_create(name=SCHOOL)
    user.groups.add(group)
    SchoolMembership.objects.create(user=user, school_id=invitation.school_id)
    invitation.used_at = now
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    return user


# --- access requests ---------------------------------------------------------------------------


def _match_school(brin: str) -> tuple[School | None, int | None]:
    """The school (and programme) a requested BRIN points at. A bare 4-character BRIN matches
    its only vestiging, or at least its programme when all its vestigingen share one."""
    school = School.objects.filter(brin=brin).first()
    if school is not None:
        return school, school.programme_id
    if len(brin) == 4:
        found = list(School.objects.filter(brin__startswith=brin).values_list("pk", "programme_id"))
        programmes = {programme_id for _pk, programme_id in found}
        if len(found) == 1:
            return School.objects.get(pk=found[0][0]), found[0][1]
        if len(programmes) == 1:
            return None, programmes.pop()
    return None, None


@transaction.atomic
def access_request_create(*, name: str, email: str, brin: str, message: str = "") -> AccessRequest:
    """Store a teacher's request (BRIN already validated). A second request for the same
    address and BRIN while one is pending returns that one: the visitor sees the same thanks
    either way, so nothing tells whether a BRIN or an address is known."""
    email = normalise_email(email)
    pending = AccessRequest.objects.filter(
        email=email, brin=brin, status=AccessRequest.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    school, programme_id = _match_school(brin)
    return AccessRequest.objects.create(
        name=name.strip(),
        email=email,
        brin=brin,
        message=message.strip(),
        school=school,
        programme_id=programme_id,
        created_at=timezone.now(),
    )


def _pending(access_request: AccessRequest) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.status != AccessRequest.Status.PENDING:
        raise OnboardingError(_("Dit verzoek is al beoordeeld."), code="already_decided")
    return locked


@transaction.atomic
def access_request_approve(
    *, access_request: AccessRequest, school: School | None = None, acting_user
) -> AccessRequest:
    """Approve: invite the requester for the matched school (or `school`, which the coordinator
    picks when the BRIN matched only a programme). The school must be of the request's
    programme."""
    request = _pending(access_request)
    school = school or request.school
    if school is None:
        raise OnboardingError(
            _("Kies de school waarvoor u toegang geeft."), code="invalid", status_code=400
        )
    if request.programme_id is not None and school.programme_id != request.programme_id:
        raise OnboardingError(
            _("Deze school hoort niet bij het programma van het verzoek."),
            code="invalid",
            status_code=400,
        )
    invitation, _token = invitation_create(
        school=school, email=request.email, name=request.name, acting_user=acting_user
    )
    request.status = AccessRequest.Status.APPROVED
    request.school = school
    request.programme_id = school.programme_id
    request.invitation = invitation
    request.decided_at = timezone.now()
    request.decided_by = acting_user
    request.save()
    return request


@transaction.atomic
def access_request_decline(*, access_request: AccessRequest, acting_user) -> AccessRequest:
    request = _pending(access_request)
    request.status = AccessRequest.Status.DECLINED
    request.decided_at = timezone.now()
    request.decided_by = acting_user
    request.save(update_fields=["status", "decided_at", "decided_by"])
    return request

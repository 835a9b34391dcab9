"""The invitation e-mail, in Dutch (a school contact has no language preference yet). Queued in
the outbox inside the caller's transaction; delivered by a task after the commit."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from backend.core.dutch import long_date
from outbox.services import email_queue


def invitation_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('school:invite', args=[token])}"


def invitation_queue(*, invitation, token: str) -> None:
    # Dutch whatever language the inviting coordinator's pages are in: the invitee has not
    # chosen one yet.
    with translation.override("nl"):
        _invitation_queue(invitation=invitation, token=token)


def _invitation_queue(*, invitation, token: str) -> None:
    greeting = (
        _("Beste %(name)s,") % {"name": invitation.name} if invitation.name else _("Beste collega,")
    )
    lines = [
        greeting,
        "",
        _("U bent uitgenodigd om namens %(school)s bezoeken van de techniekwagen aan te vragen.")
        % {"school": invitation.school.name},
        _("Kies via deze link een wachtwoord voor uw account:"),
        "",
        invitation_link(token),
        "",
        _("De link werkt één keer en is geldig tot %(date)s. Uw gebruikersnaam is %(email)s.")
        % {"date": long_date(localtime(invitation.expires_at).date()), "email": invitation.email},
        _("Had u deze uitnodiging niet verwacht? Dan kunt u deze e-mail negeren."),
        "",
        _("Met vriendelijke groet,"),
        _("Het team van de Techniekwagen"),
    ]
    email_queue(
        kind="invitation",
        to=[invitation.email],
        subject=_("Uitnodiging voor het schoolportaal van de Techniekwagen"),
        body="\n".join(lines),
    )

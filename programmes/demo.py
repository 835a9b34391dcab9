"""Demo programmes: Rotterdam-Noord and Deventer-Twello, and who works for which. Idempotent."""

from django.contrib.auth.models import User

from programmes.models import Programme

# name, project code, contact, e-mail, members (demo usernames)
PROGRAMMES = [
    (
        "Rotterdam-Noord",
        "STO18065",
        "Programmabureau STO Rotterdam-Noord",
        "sto@rotterdam-noord.example",
        ("coordinator", "crew"),
    ),
    (
        "Deventer-Twello",
        "STO18071",
        "Techniekpact Deventer-Twello",
        "sto@deventer-twello.example",
        ("coordinator2", "crew2"),
    ),
]
ROTTERDAM_NOORD, DEVENTER_TWELLO = PROGRAMMES[0][0], PROGRAMMES[1][0]


def load() -> dict:
    for name, code, contact, email, members in PROGRAMMES:
        programme, _ = Programme.objects.update_or_create(
            name=name,
            defaults={"project_code": code, "contact_name": contact, "contact_email": email},
        )
        programme.members.add(*User.objects.filter(username__in=members))
    return {"programmes": Programme.objects.count()}

"""Demo partners: a handful of (made-up) companies per demo programme, with their part in the
demo visits that took place. Fake names and fake KvK numbers. Idempotent."""

from django.contrib.auth.models import User

from bookings.models import Booking
from partners import services
from partners.models import Participation, Partner
from programmes.models import Programme

# programme name → (name, fake KvK number, sector, contact)
PARTNERS = {
    "Rotterdam-Noord": [
        ("Havenbouw Maasstad BV", "90000011", "Bouw en infra", "Sanne de Wit"),
        ("Noordoever Installatietechniek", "90000012", "Installatietechniek", "Youssef Amrani"),
        ("Kralingse Robotwerkplaats", "90000013", "ICT en robotica", "Iris Bakker"),
        ("Stichting Techniek Op Zuid-Noord", "90000014", "Onderwijs", "Peter Jansen"),
    ],
    "Deventer-Twello": [
        ("IJsselmetaal Deventer BV", "90000021", "Metaal", "Femke Mulder"),
        ("Twellose Elektro Groep", "90000022", "Elektrotechniek", "Daan Smit"),
        ("Salland Food Tech", "90000023", "Procestechniek", "Noor Visser"),
    ],
}
KINDS = [
    (Participation.Kind.GUEST_INSTRUCTOR, 3),
    (Participation.Kind.MATERIALS, 0),
    (Participation.Kind.SPONSOR, 0),
]


def load() -> dict:
    for programme in Programme.objects.filter(name__in=PARTNERS):
        actor = (
            User.objects.filter(programmes=programme, groups__name="coordinator")
            .order_by("pk")
            .first()
        )
        partners = []
        for name, kvk, sector, contact in PARTNERS[programme.name]:
            partner = Partner.objects.filter(programme=programme, name=name).first()
            if partner is None:
                partner = services.partner_create(
                    programme=programme,
                    name=name,
                    kvk_number=kvk,
                    sector=sector,
                    contact_name=contact,
                    contact_email=f"{contact.split()[0].lower()}@partner.example",
                    acting_user=actor,
                )
            partners.append(partner)
        visits = Booking.objects.filter(
            school__programme=programme, status__in=Booking.TOOK_PLACE
        ).order_by("date", "pk")
        for index, visit in enumerate(visits):
            partner = partners[index % len(partners)]
            kind, hours = KINDS[index % len(KINDS)]
            if not Participation.objects.filter(booking=visit, partner=partner).exists():
                services.participation_add(
                    booking=visit, partner=partner, kind=kind, hours=hours, acting_user=actor
                )
    return {"partners": Partner.objects.count(), "participations": Participation.objects.count()}

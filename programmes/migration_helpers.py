"""Used by the data migrations that put rows from before programmes into one programme."""


def default_programme(apps):
    """The programme pre-programme rows move into (created on first need, then reused)."""
    Programme = apps.get_model("programmes", "Programme")
    programme = Programme.objects.order_by("id").first()
    if programme is None:
        programme = Programme.objects.create(name="Techniekwagen", project_code="STO00001")
    return programme

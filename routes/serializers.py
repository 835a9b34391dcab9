"""Request and response shapes for routes and the planner (API.md)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.core.fields import WindowDateField
from backend.core.scoping import ScopedPrimaryKeyRelatedField
from bookings.models import Booking
from inventory.models import Wagon
from routes.models import MAX_STOPS, PlanJob
from routes.planner import MAX_RANGE_DAYS

MAX_PLAN_WAGONS = 50


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    booking = serializers.IntegerField(required=False)


class StopSerializer(serializers.Serializer):
    booking = serializers.IntegerField()
    reference = serializers.CharField()
    school = serializers.IntegerField()
    school_name = serializers.CharField()
    address = serializers.CharField()
    status = serializers.CharField()
    position = serializers.IntegerField()
    arrive = serializers.CharField()
    start = serializers.CharField()
    end = serializers.CharField()
    depart = serializers.CharField()
    drive_minutes_from_previous = serializers.IntegerField()
    km_from_previous = serializers.FloatField()


class RouteSerializer(serializers.Serializer):
    """Output of `routes.selectors.route_data` (saved routes and planner proposals alike)."""

    id = serializers.IntegerField(allow_null=True)
    wagon = serializers.IntegerField()
    programme = serializers.IntegerField()
    date = serializers.DateField()
    stops = StopSerializer(many=True)
    leave_depot = serializers.CharField(allow_null=True)
    return_depot = serializers.CharField(allow_null=True)
    drive_minutes_to_depot = serializers.IntegerField()
    km_to_depot = serializers.FloatField()
    total_km = serializers.FloatField()
    total_drive_minutes = serializers.IntegerField()
    feasible = serializers.BooleanField()
    problems = ProblemSerializer(many=True)


class RouteCreateSerializer(serializers.Serializer):
    wagon = ScopedPrimaryKeyRelatedField(queryset=Wagon.objects.all())
    date = WindowDateField()
    bookings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=MAX_STOPS,
        default=list,
    )

    def validate_bookings(self, value):
        # Another programme's visit is "unknown" here, exactly like an id that does not exist.
        visible = set(
            Booking.objects.restrict(self.context["request"].user)
            .filter(pk__in=value)
            .values_list("pk", flat=True)
        )
        unknown = [pk for pk in value if pk not in visible]
        if unknown:
            raise serializers.ValidationError(f"Onbekende bezoeken: {unknown}.")
        return value


class ReorderSerializer(serializers.Serializer):
    bookings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=MAX_STOPS
    )


class AddStopSerializer(serializers.Serializer):
    booking = ScopedPrimaryKeyRelatedField(queryset=Booking.objects.all())
    position = serializers.IntegerField(min_value=0, max_value=MAX_STOPS, required=False)


class RemoveStopSerializer(serializers.Serializer):
    booking = ScopedPrimaryKeyRelatedField(queryset=Booking.objects.all())


class PlanRequestSerializer(serializers.Serializer):
    wagon = ScopedPrimaryKeyRelatedField(
        queryset=Wagon.objects.all(), required=False, allow_null=True
    )
    wagons = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(queryset=Wagon.objects.all()),
        required=False,
        max_length=MAX_PLAN_WAGONS,
    )
    date_from = WindowDateField()
    date_to = WindowDateField()
    commit = serializers.BooleanField(default=False)
    allow_moves = serializers.BooleanField(default=False)

    def validate(self, attrs):
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": ["Moet op of na date_from liggen."]})
        if (attrs["date_to"] - attrs["date_from"]).days + 1 > MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"date_to": [f"Plan hoogstens {MAX_RANGE_DAYS} dagen tegelijk."]}
            )
        wagons = list(attrs.get("wagons") or [])
        if attrs.get("wagon") is not None and attrs["wagon"] not in wagons:
            wagons.append(attrs["wagon"])
        if not wagons:
            wagons = list(Wagon.objects.restrict(self.context["request"].user).filter(active=True))
        wagons = [w for w in wagons if w.active]
        if not wagons:
            raise serializers.ValidationError({"wagon": ["Geen actieve wagen om te plannen."]})
        attrs["wagon_list"] = sorted(wagons, key=lambda w: w.pk)
        return attrs


class UnplannedSerializer(serializers.Serializer):
    booking = serializers.IntegerField()
    code = serializers.CharField()
    reason = serializers.CharField()


class MovedSerializer(serializers.Serializer):
    """A booking the plan puts on another day or wagon (`from_*` null: it had none)."""

    booking = serializers.IntegerField()
    from_date = serializers.DateField(allow_null=True)
    to_date = serializers.DateField()
    from_wagon = serializers.IntegerField(allow_null=True)
    to_wagon = serializers.IntegerField()


class PlanResponseSerializer(serializers.Serializer):
    committed = serializers.BooleanField()
    status = serializers.CharField()
    served = serializers.IntegerField()
    total_drive_minutes = serializers.IntegerField()
    total_km = serializers.FloatField()
    routes = RouteSerializer(many=True)
    unplanned = UnplannedSerializer(many=True)
    moved = MovedSerializer(many=True)


@extend_schema_field(PlanResponseSerializer(allow_null=True))
class PlanResultField(serializers.JSONField):
    pass


class PlanJobSerializer(serializers.Serializer):
    """A planning job (API.md "planning as a job"): `result` is the plan once `status` is done."""

    id = serializers.IntegerField()
    job = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=PlanJob.Status.choices)
    result = PlanResultField(allow_null=True)  # stored already serialised by routes/jobs.py
    error = serializers.CharField()
    created = serializers.DateTimeField()
    started = serializers.DateTimeField(allow_null=True)
    finished = serializers.DateTimeField(allow_null=True)

    def get_job(self, job) -> str:
        url = reverse("route-plan-job", kwargs={"job_id": job.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

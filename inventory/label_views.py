"""`GET /api/v1/items/labels.pdf`: asset labels for a selection of items or cases (crew + coordinator).

Query: `item=<id>` and `tag=<asset tag>` (repeat, or comma-separated) in the order they should print,
`kit_type=<id>` (every item of the type, by asset tag), `case=<id>` (the case's own label; with
`case_items=1` also its items), `layout=3x8|2x7`, `start=<first free position on the sheet>`.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.views import APIView

from backend.core.permissions import STAFF_ROLES, RoleAccess
from backend.core.renderers import PDFRenderer
from inventory.labels import LAYOUTS, MAX_LABELS, Label, LabelSheetPdf
from inventory.selectors import label_targets

MAX_SELECTED = MAX_LABELS


def _values(request, name: str) -> list[str]:
    values = []
    for raw in request.query_params.getlist(name):
        values.extend(part for part in raw.replace(";", ",").split(",") if part.strip())
    return values


class LabelQuerySerializer(serializers.Serializer):
    item = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=MAX_SELECTED,
        required=False,
        default=list,
    )
    tag = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=MAX_SELECTED,
        required=False,
        default=list,
    )
    kit_type = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=100,
        required=False,
        default=list,
    )
    case = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=MAX_SELECTED,
        required=False,
        default=list,
    )
    case_items = serializers.BooleanField(required=False, default=False)
    layout = serializers.ChoiceField(choices=sorted(LAYOUTS), required=False, default="3x8")
    start = serializers.IntegerField(min_value=1, max_value=24, required=False, default=1)

    def validate(self, attrs):
        per_sheet = LAYOUTS[attrs["layout"]].per_sheet
        if attrs["start"] > per_sheet:
            raise serializers.ValidationError(
                {"start": [f"Een vel {attrs['layout']} heeft {per_sheet} etiketten."]}
            )
        if not (attrs["item"] or attrs["tag"] or attrs["kit_type"] or attrs["case"]):
            raise serializers.ValidationError(
                {"item": ["Kies exemplaren, een soort materiaal of koffers."]}
            )
        return attrs


def item_label(item) -> Label:
    return Label(item.asset_tag, item.kit_type.name, item.depot.name)


def case_label(case) -> Label:
    return Label(case.code, f"Koffer {case.name}", case.depot.name)


class ItemLabelsPdfView(APIView):
    permission_classes = [RoleAccess]
    read_roles = STAFF_ROLES
    write_roles = ()
    renderer_classes = [PDFRenderer, renderers.JSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("item", int, many=True),
            OpenApiParameter("tag", str, many=True),
            OpenApiParameter("kit_type", int, many=True),
            OpenApiParameter("case", int, many=True),
            OpenApiParameter("case_items", bool),
            OpenApiParameter("layout", str, enum=sorted(LAYOUTS)),
            OpenApiParameter("start", int),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        raw = {name: _values(request, name) for name in ("item", "tag", "kit_type", "case")}
        for name in ("layout", "start", "case_items"):
            if name in request.query_params:
                raw[name] = request.query_params.get(name)
        query = LabelQuerySerializer(data=raw)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        items, cases, unknown = label_targets(
            item_ids=values["item"],
            asset_tags=values["tag"],
            case_ids=values["case"],
            kit_type_ids=values["kit_type"],
            include_cases_items=values["case_items"],
            user=request.user,
        )
        if unknown:
            raise serializers.ValidationError({"item": [f"Onbekend: {', '.join(unknown[:20])}."]})
        labels = [case_label(case) for case in cases] + [item_label(item) for item in items]
        if not labels:
            raise serializers.ValidationError({"item": ["Geen exemplaren in deze selectie."]})
        if len(labels) > MAX_LABELS:
            raise serializers.ValidationError(
                {"item": [f"Hoogstens {MAX_LABELS} etiketten per keer."]}
            )
        content = LabelSheetPdf(labels, layout=values["layout"], start=values["start"]).render()
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="etiketten.pdf"'
        return response

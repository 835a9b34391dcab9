from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from backend.core.lockout import locked_out_error, seconds_left
from backend.core.parsers import parse_body
from backend.core.roles import ROLES, programme_ids_of, role_of, school_id_of
from backend.core.tokens import delete_expired_tokens, revoke_tokens


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=list(ROLES), allow_null=True)
    school = serializers.IntegerField(allow_null=True)
    programmes = serializers.ListField(child=serializers.IntegerField())


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        return Response(
            MeSerializer(
                {
                    "username": user.get_username(),
                    "role": role_of(user),
                    "school": school_id_of(user),
                    "programmes": _programmes_of(user),
                }
            ).data
        )


def _programmes_of(user) -> list[int]:
    ids = programme_ids_of(user)
    if ids is None:  # superuser, funder: every programme
        from programmes.models import Programme

        return list(Programme.objects.order_by("id").values_list("id", flat=True))
    return sorted(ids)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(
        help_text="Expires after this moment unless used: each use moves it forward "
        "(REST_KNOX TOKEN_TTL), up to AUTO_REFRESH_MAX_TTL after the login."
    )


class TokenErrorSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    username = serializers.ListField(child=serializers.CharField(), required=False)
    password = serializers.ListField(child=serializers.CharField(), required=False)


class LockedOutSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["locked_out"])
    retry_after = serializers.IntegerField(help_text="seconds until a login may be tried again")


class TokenView(APIView):
    """`POST {"username", "password"}` → `{"token", "expiry"}`: a new revocable, expiring token.

    The password check goes through django-axes (with the plain Django request, which axes
    marks), so this endpoint shares the lock-out of the login pages (backend/core/lockout.py)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    # ObtainAuthToken brings DRF's stock parsers; use the project's bounded ones.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(
                TokenErrorSerializer, description="wrong username or password, or a missing field"
            ),
            429: LockedOutSerializer,
        },
    )
    def post(self, request, *args, **kwargs):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        http_request = request._request
        user = authenticate(
            http_request, username=username, password=data.validated_data["password"]
        )
        if getattr(http_request, "axes_locked_out", False):
            raise locked_out_error(seconds_left(http_request, username))
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with provided credentials."]},
                code="authorization",
            )
        delete_expired_tokens(user)
        instance, token = AuthToken.objects.create(user=user)
        # Django's own bookkeeping (last_login) and axes' (resets the failure count).
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response(TokenResponseSerializer({"token": token, "expiry": instance.expiry}).data)


class LogoutView(APIView):
    """`POST` → 204: revokes the token this request was made with (a session has none)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        parse_body(request)  # a malformed or oversized body is refused even here
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """`POST` → 204: revokes every token of this user (all tablets and scripts)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        parse_body(request)
        revoke_tokens(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

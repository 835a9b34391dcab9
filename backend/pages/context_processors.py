from backend.core.roles import role_of


def role(request):
    return {"tw_role": role_of(getattr(request, "user", None))}

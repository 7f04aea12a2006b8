from django.conf import settings

from writecarenotes.platform.web.nav import nav_for


def shell(request):
    access = getattr(request, "access", None)
    if access is None or access.user_id is None:
        return {"wcn_two_factor_off": not settings.TWO_FACTOR_REQUIRED}
    return {
        "access": access,
        "nav": nav_for(access),
        "wcn_two_factor_off": not settings.TWO_FACTOR_REQUIRED,
    }

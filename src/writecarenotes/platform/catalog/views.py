from django.shortcuts import render

from writecarenotes.platform.catalog.catalog import load_catalog
from writecarenotes.platform.identity.permissions import requires


@requires("catalog", "view")
def services(request):
    return render(request, "catalog/services.html", {"services": load_catalog()})

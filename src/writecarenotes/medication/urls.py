from django.urls import include, path

from writecarenotes.medication import (
    urls_controlled,
    urls_errors,
    urls_hub,
    urls_orders,
    urls_rounds,
    urls_safety,
    urls_stock,
)

app_name = "medication"

urlpatterns = [
    path("", include(urls_hub.urlpatterns)),
    path("", include(urls_rounds.urlpatterns)),
    path("", include(urls_orders.urlpatterns)),
    path("", include(urls_safety.urlpatterns)),
    path("", include(urls_controlled.urlpatterns)),
    path("", include(urls_stock.urlpatterns)),
    path("", include(urls_errors.urlpatterns)),
]

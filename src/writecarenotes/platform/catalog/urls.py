from django.urls import path

from writecarenotes.platform.catalog import views

app_name = "catalog"

urlpatterns = [
    path("services/", views.services, name="services"),
]

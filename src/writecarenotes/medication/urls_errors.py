from django.urls import path

from writecarenotes.medication import views_errors

urlpatterns = [
    path("errors/", views_errors.index, name="errors"),
    path("errors/report/", views_errors.report, name="error_report"),
]

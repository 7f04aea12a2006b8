from django.urls import path

from writecarenotes.platform.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.records, name="records"),
    path("audit/export.csv", views.export_csv, name="export"),
    path("audit/history/<str:content_type>/<str:pk>/", views.record_history, name="history"),
]

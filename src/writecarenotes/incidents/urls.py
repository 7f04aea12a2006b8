from django.urls import include, path

from writecarenotes.incidents import urls_duties, urls_followups, urls_investigation, urls_notifications, urls_report

app_name = "incidents"

urlpatterns = [
    path("", include(urls_report.urlpatterns)),
    path("", include(urls_followups.urlpatterns)),
    path("", include(urls_notifications.urlpatterns)),
    path("", include(urls_duties.urlpatterns)),
    path("", include(urls_investigation.urlpatterns)),
]

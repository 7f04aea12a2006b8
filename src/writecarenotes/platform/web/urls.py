from django.urls import path

from writecarenotes.platform.web import offline, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("home/switch/", views.switch_home, name="switch_home"),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("offline/", offline.offline_page, name="offline"),
]

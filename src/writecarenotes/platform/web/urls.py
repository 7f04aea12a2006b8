from django.urls import path

from writecarenotes.platform.web import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("home/switch/", views.switch_home, name="switch_home"),
    path("healthz", views.healthz, name="healthz"),
]

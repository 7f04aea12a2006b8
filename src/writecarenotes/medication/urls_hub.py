from django.urls import path

from writecarenotes.medication import views_hub

urlpatterns = [path("", views_hub.home, name="home")]

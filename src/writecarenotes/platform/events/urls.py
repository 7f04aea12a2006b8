from django.urls import path

from writecarenotes.platform.events import views

app_name = "events"

urlpatterns = [
    path("events/dead-letters/", views.dead_letters, name="dead_letters"),
    path("events/dead-letters/<int:pk>/retry/", views.retry, name="retry"),
]

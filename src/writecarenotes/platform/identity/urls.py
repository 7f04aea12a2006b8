from django.urls import path

from writecarenotes.platform.identity import views

app_name = "identity"

urlpatterns = [
    path("account/login/", views.login_view, name="login"),
    path("account/logout/", views.logout_view, name="logout"),
    path("access/", views.access_table, name="access_table"),
]

from django.urls import path

from writecarenotes.platform.identity import token_views, two_factor_views, user_views, views

app_name = "identity"

urlpatterns = [
    path("account/", views.profile, name="profile"),
    path("account/login/", views.login_view, name="login"),
    path("account/logout/", views.logout_view, name="logout"),
    path("account/sessions/logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("account/password-reset/", views.password_reset, name="password_reset"),
    path("account/password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("account/password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("account/password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("account/two-factor/", two_factor_views.status, name="two_factor"),
    path("account/two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("account/two-factor/recovery-codes/", two_factor_views.recovery_codes, name="recovery_codes"),
    path("account/tokens/", token_views.token_list, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("users/", user_views.user_list, name="users"),
    path("users/<int:pk>/deactivate/", user_views.user_deactivate, name="user_deactivate"),
    path("access/", views.access_table, name="access_table"),
]

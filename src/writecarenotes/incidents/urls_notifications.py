"""Pages of statutory notifications (under /incidents/, namespace incidents, names notification*)."""

from django.urls import path

from writecarenotes.incidents import views_notifications as v

urlpatterns = [
    path("notifications/", v.due, name="notifications_due"),
    path("notifications/panel/", v.panel, name="notifications_panel"),
    path("notifications/returns/", v.returns, name="notification_returns"),
    path("notifications/returns/<int:pk>/", v.return_detail, name="notification_return"),
    path("notifications/returns/<int:pk>/figures/", v.return_figures, name="notification_return_figures"),
    path("notifications/returns/<int:pk>/submit/", v.return_submit, name="notification_return_submit"),
    path("notifications/<int:pk>/", v.detail, name="notification_detail"),
    path("notifications/<int:pk>/prepare/", v.prepare, name="notification_prepare"),
    path("notifications/<int:pk>/submitted/", v.submitted, name="notification_submitted"),
    path("notifications/<int:pk>/pdf/", v.pdf, name="notification_pdf"),
]

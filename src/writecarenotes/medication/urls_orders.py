"""Pages of the medicines record (under /medication/): formulary, resident's record, orders,
reconciliation, homely remedies, self and covert administration."""

from django.urls import path

from writecarenotes.medication import views_orders, views_reconciliation, views_special

urlpatterns: list = [
    path("formulary/", views_orders.formulary, name="formulary"),
    path("formulary/add/", views_orders.medicine_add, name="medicine_add"),
    path("formulary/<int:pk>/correct/", views_orders.medicine_correct, name="medicine_correct"),
    path("formulary/<int:pk>/active/", views_orders.medicine_active, name="medicine_active"),
    path("residents/<int:resident_id>/", views_orders.record, name="record"),
    path("residents/<int:resident_id>/orders/new/", views_orders.order_new, name="order_new"),
    path("orders/<int:pk>/change/", views_orders.order_change, name="order_change"),
    path("orders/<int:pk>/covert/", views_special.covert, name="order_covert"),
    path("orders/<int:pk>/<str:action>/", views_orders.order_status, name="order_status"),
    path("residents/<int:resident_id>/reconcile/", views_reconciliation.start, name="reconciliation_start"),
    path("reconciliations/<int:pk>/", views_reconciliation.detail, name="reconciliation"),
    path("reconciliations/<int:pk>/lines/", views_reconciliation.add_line, name="reconciliation_line"),
    path(
        "reconciliations/<int:pk>/lines/<int:line_id>/withdraw/",
        views_reconciliation.withdraw_line,
        name="reconciliation_withdraw",
    ),
    path("reconciliations/<int:pk>/complete/", views_reconciliation.complete, name="reconciliation_complete"),
    path("homely-remedies/", views_special.remedies, name="remedies"),
    path("homely-remedies/add/", views_special.remedy_add, name="remedy_add"),
    path("residents/<int:resident_id>/homely-remedy/", views_special.remedy_for_resident, name="remedy_for_resident"),
    path("residents/<int:resident_id>/self-administration/", views_special.self_assessment, name="self_assessment"),
]

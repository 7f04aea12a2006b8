"""Pages of the controlled drugs register (namespace medication, names cd_*)."""

from django.urls import path

from writecarenotes.medication import views_controlled as v

urlpatterns = [
    path("cd/", v.index, name="cd_index"),
    path("cd/open/", v.open_page, name="cd_open"),
    path("cd/<int:register_id>/", v.register_page, name="cd_register"),
    path("cd/<int:register_id>/entry/", v.entry_page, name="cd_entry"),
    path("cd/<int:register_id>/check/", v.check_page, name="cd_check"),
    path("cd/<int:register_id>/register.csv", v.export_csv, name="cd_export_csv"),
    path("cd/<int:register_id>/register.pdf", v.export_pdf, name="cd_export_pdf"),
    path("cd/entries/<int:entry_id>/correct/", v.correct_page, name="cd_correct"),
    path("cd/discrepancies/<int:discrepancy_id>/resolve/", v.resolve_page, name="cd_resolve"),
]

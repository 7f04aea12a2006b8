"""Pages of reporting (under /incidents/, namespace incidents)."""

from django.urls import path

from writecarenotes.incidents import views_report as v

urlpatterns = [
    path("", v.index, name="index"),
    path("report/", v.report, name="report"),
    path("residents/<int:resident_id>/", v.index, name="resident"),
    path("residents/<int:resident_id>/report/", v.report_for, name="report_for"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/correct/", v.correct, name="correct"),
    path("<int:pk>/people/new/", v.new_person, name="add_person"),
    path("<int:pk>/injuries/new/", v.new_injury, name="add_injury"),
    path("<int:pk>/photos/new/", v.new_photo, name="add_photo"),
    path("<int:pk>/photos/<int:photo_id>/", v.photo, name="photo"),
    path("<int:pk>/close/", v.close, name="close"),
]

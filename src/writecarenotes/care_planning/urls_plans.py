"""Pages of care plans, carers' tasks and reviews (included by ``care_planning/urls.py``)."""

from django.urls import path

from writecarenotes.care_planning import views_plans as v
from writecarenotes.care_planning import views_reviews as r
from writecarenotes.care_planning import views_tasks as t

R = "residents/<int:resident_id>/plans/"

plans_urlpatterns = [
    path(R, v.resident_plans, name="plans_resident"),
    path(R + "new/", v.new_plan, name="plan_new"),
    path(R + "propose/", v.propose, name="plans_propose"),
    path(R + "print/", r.print_plan, name="plans_print"),
    path(R + "family/", r.family_summary, name="plans_family"),
    path("plans/<int:plan_id>/", v.plan_detail, name="plan"),
    path("plans/<int:plan_id>/edit/", v.edit_plan, name="plan_edit"),
    path("plans/<int:plan_id>/agree/", v.agree, name="plan_agree"),
    path("plans/<int:plan_id>/archive/", v.archive, name="plan_archive"),
    path("plans/<int:plan_id>/review/", r.plan_review, name="plan_review"),
    path("plans/<int:plan_id>/goals/new/", v.new_goal, name="goal_new"),
    path("plans/<int:plan_id>/interventions/new/", v.new_intervention, name="intervention_new"),
    path("goals/<int:goal_id>/edit/", v.edit_goal, name="goal_edit"),
    path("goals/<int:goal_id>/progress/", v.goal_progress, name="goal_progress"),
    path("interventions/<int:intervention_id>/edit/", v.edit_intervention, name="intervention_edit"),
    path("interventions/<int:intervention_id>/end/", v.end_intervention, name="intervention_end"),
    path("tasks/", t.tasks_index, name="tasks"),
    path("units/<int:unit_id>/tasks/", t.unit_tasks, name="unit_tasks"),
    path("units/<int:unit_id>/tasks/record/", t.record, name="task_record"),
    path("reviews/", r.reviews_due, name="reviews_due"),
    path("units/<int:unit_id>/reviews/", r.reviews_due, name="unit_reviews_due"),
]

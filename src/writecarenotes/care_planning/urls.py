from django.urls import include, path  # noqa: F401

from writecarenotes.care_planning.urls_capacity import urlpatterns as capacity_urlpatterns
from writecarenotes.care_planning.urls_pathways import pathways_urlpatterns
from writecarenotes.care_planning.urls_plans import plans_urlpatterns
from writecarenotes.care_planning.urls_risks import urlpatterns as risks_urlpatterns

app_name = "care_planning"

urlpatterns: list = []
urlpatterns.append(path("", include(pathways_urlpatterns)))  # specialist pathways 29-32
urlpatterns.append(path("", include(risks_urlpatterns)))  # risk register
urlpatterns.append(path("", include(capacity_urlpatterns)))  # Mental Capacity Act, liberty authorisations
urlpatterns.append(path("", include(plans_urlpatterns)))  # care plans, carers' tasks, reviews

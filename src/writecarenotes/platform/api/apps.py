from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "writecarenotes.platform.api"
    label = "wcn_api"
    verbose_name = "API framework"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataRequestsConfig(AppConfig):
    name = "data_requests"
    verbose_name = _("Solicitudes de datos personales")

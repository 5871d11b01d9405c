from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """The project package doubles as an app for reports, dashboard and project commands."""

    name = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from registry.reports import freshness

        freshness.connect()

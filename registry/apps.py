from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The project package doubles as an app for reports, dashboard and project commands."""

    name = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        from registry.reports import invalidation

        invalidation.connect()

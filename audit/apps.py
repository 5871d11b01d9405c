from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = "Auditoría"

    def ready(self) -> None:
        # Sign-in events are recorded by signal receivers: django.contrib.auth only announces
        # them through signals, so there is no service call to hook into.
        from audit import receivers  # noqa: F401

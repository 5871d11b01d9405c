from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Ingreso de participantes")

    def ready(self) -> None:
        # The previews folder check, and the sign-out receiver that deletes a user's waiting
        # roster previews.
        from intake import checks  # noqa: F401
        from intake.roster_import import previews  # noqa: F401

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Cuentas, roles y consentimientos"

    def ready(self) -> None:
        # Like django.contrib.auth's own permissions, the role groups are brought up to date
        # after every migrate (and every test-database flush), once all apps' permissions
        # exist. `accounts` is listed after the data apps in INSTALLED_APPS for that reason.
        post_migrate.connect(_setup_roles, sender=self, dispatch_uid="accounts_setup_roles")
        from accounts import checks  # noqa: F401  (registers the database role check)


def _setup_roles(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from accounts.roles import roles_setup

    roles_setup()

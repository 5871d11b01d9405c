from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.roles import roles_setup


class Command(BaseCommand):
    help = "Create or refresh the role groups and their permissions (also runs after migrate)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = roles_setup()
        self.stdout.write(
            f"Roles ready: {report.groups_created} group(s) created, "
            f"{report.permissions_created} permission(s) created, "
            f"{report.permissions_assigned} permission(s) assigned."
        )

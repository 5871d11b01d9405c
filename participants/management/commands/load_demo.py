from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from accounts.roles import ROLE_SLUGS, user_grant_role
from courses.models import School
from participants.models import Person
from registry.demo import demo_load


class Command(BaseCommand):
    help = "Fill an empty registry with synthetic demo data (and optionally a demo administrator)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--admin",
            metavar="USERNAME",
            help="also create this superuser, an analyst and a school user, with random "
            "passwords printed once",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Person.objects.exists():
            self.stdout.write("The registry already has persons; demo data not loaded again.")
        else:
            summary = demo_load(persons=options["persons"], seed=options["seed"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded: {summary.persons} persons, {summary.cohorts} cohorts, "
                    f"{summary.enrollments} enrollments, {summary.scores} test scores, "
                    f"{summary.review_pairs} possible duplicates to review."
                )
            )
        username = options["admin"]
        if username:
            self._demo_users(username)

    def _demo_users(self, admin_username: str) -> None:
        # No default accounts: passwords are random and shown only here.
        user_model = get_user_model()
        school = School.objects.filter(acronym="EMP").first()
        accounts = [
            ("Administrator", admin_username, None),
            ("Analyst", f"{admin_username}-analista", "analyst"),
            ("School staff (EMP)", f"{admin_username}-escuela", "school"),
        ]
        for label, username, role in accounts:
            if user_model.objects.filter(username=username).exists():
                self.stdout.write(f"User '{username}' exists; its password is unchanged.")
                continue
            password = secrets.token_urlsafe(12)
            if role is None:
                user_model.objects.create_superuser(username=username, email="", password=password)
            else:
                user = user_model.objects.create_user(username=username, password=password)
                user_grant_role(
                    user=user,
                    role=ROLE_SLUGS[role],
                    school=school if role == "school" else None,
                )
            self.stdout.write(f"{label}: {username} / {password}")

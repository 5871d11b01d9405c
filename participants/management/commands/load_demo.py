from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

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
            help="also create this superuser with a random password, printed once",
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
            user_model = get_user_model()
            if user_model.objects.filter(username=username).exists():
                self.stdout.write(f"User '{username}' exists; its password is unchanged.")
                return
            # No default accounts: the password is random and shown only here.
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(f"Administrator: {username} / {password}")

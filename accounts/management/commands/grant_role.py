from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.roles import ROLE_SLUGS, SCHOOL_STAFF, user_grant_role
from courses.models import School


class Command(BaseCommand):
    help = "Give an existing user one role: admin, analyst, or school (with --school ACRONYM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ROLE_SLUGS))
        parser.add_argument("--school", help="acronym of the school (role 'school' only)")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(username=options["username"])
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user named {options['username']!r}.") from error
        role = ROLE_SLUGS[options["role"]]
        school = None
        if options["school"]:
            school = School.objects.filter(acronym=options["school"]).first()
            if school is None:
                raise CommandError(f"No school with acronym {options['school']!r}.")
        if role == SCHOOL_STAFF and school is None:
            raise CommandError("The role 'school' needs --school ACRONYM.")
        try:
            user_grant_role(user=user, role=role, school=school)
        except ValueError as error:
            raise CommandError(str(error)) from error
        where = f" at {school.acronym}" if school else ""
        self.stdout.write(f"{user.get_username()} is now {role}{where}.")

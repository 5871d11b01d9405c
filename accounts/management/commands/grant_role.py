"""Give a user one role; with --create, create the user first (password asked or generated)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.roles import ADMINISTRATOR, ANALYST, ROLE_SLUGS, SCHOOL_STAFF, user_grant_role
from accounts.users import password_generate, user_create
from courses.models import School

# The role as typed (English slug or its Spanish word) -> group name.
ROLE_WORDS = {
    **ROLE_SLUGS,
    "administrador": ADMINISTRATOR,
    "analista": ANALYST,
    "escuela": SCHOOL_STAFF,
}
ROLE_LABELS = {
    ADMINISTRATOR: "administrador del registro",
    ANALYST: "analista",
    SCHOOL_STAFF: "personal de escuela de capacitación",
}
PASSWORD_ATTEMPTS = 3


class Command(BaseCommand):
    help = (
        "Da a un usuario un rol: admin (administrador del registro), analyst (analista) o "
        "school (personal de una escuela, con --school SIGLA). Con --create crea el usuario: "
        "pide la contraseña dos veces si se ejecuta en una terminal; si no, o con "
        "--random-password, genera una al azar y la muestra una sola vez."
    )

    # Tests pass a stand-in for sys.stdin to choose between asking and generating.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="nombre de usuario")
        parser.add_argument(
            "role", help="admin, analyst o school (o administrador, analista, escuela)"
        )
        parser.add_argument("--school", help="sigla de la escuela (solo el rol school)")
        parser.add_argument("--create", action="store_true", help="crea el usuario si no existe")
        parser.add_argument(
            "--random-password",
            action="store_true",
            help="con --create: genera una contraseña al azar en vez de pedirla",
        )
        parser.add_argument("--email", default="", help="con --create: correo del usuario")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        role = ROLE_WORDS.get(options["role"].strip().lower())
        if role is None:
            raise CommandError(f"Rol desconocido «{options['role']}»: use admin, analyst o school.")
        school = self._school(options["school"])
        if role == SCHOOL_STAFF and school is None:
            raise CommandError("El rol school necesita --school SIGLA.")
        if role != SCHOOL_STAFF and school is not None:
            raise CommandError("--school solo corresponde al rol school.")
        if options["random_password"] and not options["create"]:
            raise CommandError("--random-password solo se usa con --create.")

        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if options["create"]:
            if user is not None:
                raise CommandError(
                    f"El usuario «{username}» ya existe: quite --create para cambiar su rol."
                )
            stdin = options.get("stdin") or sys.stdin
            shown = options["random_password"] or not stdin.isatty()
            password = password_generate() if shown else self._ask_password(username)
            with transaction.atomic():
                try:
                    user = user_create(username=username, password=password, email=options["email"])
                except ValidationError as error:
                    raise CommandError(" ".join(error.messages)) from error
                self._grant(user, role, school)
            self.stdout.write(f"Usuario «{username}» creado.")
            if shown:
                self.stdout.write(
                    f"Contraseña de «{username}» (se muestra una sola vez; guárdela ahora): "
                    f"{password}"
                )
        else:
            if user is None:
                raise CommandError(f"No existe el usuario «{username}». Use --create para crearlo.")
            self._grant(user, role, school)
        where = f" en {school.acronym}" if school else ""
        self.stdout.write(f"{username} ahora tiene el rol «{ROLE_LABELS[role]}»{where}.")

    def _school(self, acronym: str | None) -> School | None:
        if not acronym:
            return None
        school = School.objects.filter(acronym__iexact=acronym.strip()).first()
        if school is None:
            valid = ", ".join(School.objects.order_by("acronym").values_list("acronym", flat=True))
            raise CommandError(
                f"No existe una escuela con la sigla «{acronym}». "
                + (f"Siglas válidas: {valid}." if valid else "No hay escuelas registradas.")
            )
        return school

    def _grant(self, user: User, role: str, school: School | None) -> None:
        try:
            user_grant_role(user=user, role=role, school=school)
        except ValueError as error:
            raise CommandError(str(error)) from error

    def _ask_password(self, username: str) -> str:
        """Ask twice until the two agree and the validators accept it (a few attempts)."""
        probe = get_user_model()(username=username)
        for _ in range(PASSWORD_ATTEMPTS):
            password = getpass.getpass("Contraseña: ")
            if password != getpass.getpass("Contraseña (otra vez): "):
                self.stderr.write("Las contraseñas no coinciden.")
                continue
            try:
                validate_password(password, probe)
            except ValidationError as error:
                for message in error.messages:
                    self.stderr.write(message)
                continue
            return password
        raise CommandError("No se creó el usuario: ninguna contraseña fue aceptada.")

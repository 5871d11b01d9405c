from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from accounts.roles import ROLE_SLUGS, user_grant_role
from courses.models import School
from formats.numbers import number_shown
from participants.models import Person
from registry.demo import demo_load


class Command(BaseCommand):
    help = (
        "Llena un registro vacío con datos de demostración inventados (y, si se pide, crea "
        "usuarios de demostración)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons", type=int, default=300, help="personas a inventar (300 por defecto)"
        )
        parser.add_argument(
            "--seed", type=int, default=2024, help="semilla: la misma da los mismos datos"
        )
        parser.add_argument(
            "--admin",
            metavar="USUARIO",
            help="crea también este superusuario, un analista y un usuario de escuela, con "
            "contraseñas aleatorias que se muestran una sola vez",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Person.objects.exists():
            self.stdout.write(
                "El registro ya tiene personas: no se vuelven a cargar los datos de demostración."
            )
        else:
            summary = demo_load(persons=options["persons"], seed=options["seed"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"Datos de demostración cargados: {number_shown(summary.persons)} personas, "
                    f"{number_shown(summary.cohorts)} cohortes, "
                    f"{number_shown(summary.enrollments)} inscripciones, "
                    f"{number_shown(summary.scores)} notas de pruebas, "
                    f"{number_shown(summary.review_pairs)} posibles duplicados por revisar."
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
            ("Administrador", admin_username, None),
            ("Analista", f"{admin_username}-analista", "analyst"),
            ("Personal de escuela (EMP)", f"{admin_username}-escuela", "school"),
        ]
        for label, username, role in accounts:
            if user_model.objects.filter(username=username).exists():
                self.stdout.write(f"El usuario «{username}» ya existe; su contraseña no cambia.")
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

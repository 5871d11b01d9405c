"""The production roles on PostgreSQL: the app's role cannot tamper with the audit log.

These tests create two roles in the test cluster (unique names, dropped afterwards), apply
`manage.py db_roles` as the test's superuser, then connect as the app's role. They need
PostgreSQL and run in the PostgreSQL pass of the suite (CI runs both).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.checks import app_role_check
from accounts.db_roles import RoleNames, RoleSetupError, db_roles_statements
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from participants.models import Person
from tests.factories import PersonFactory


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def roles(postgres_only: None) -> Iterator[tuple[RoleNames, str]]:
    """(owner and app role names, the app's password); both roles dropped afterwards."""
    suffix = secrets.token_hex(4)
    names = RoleNames(owner=f"test_owner_{suffix}", app=f"test_app_{suffix}")
    password = secrets.token_urlsafe(16)
    _execute(f"CREATE ROLE {names.owner} NOLOGIN")
    _execute(f"CREATE ROLE {names.app} LOGIN PASSWORD '{password}'")
    try:
        yield names, password
    finally:
        connection.close()  # the test may have left Django connected as the app
        for role in (names.app, names.owner):
            _execute(f"DROP OWNED BY {role}")
            _execute(f"DROP ROLE {role}")


def _connect_as(role: str, password: str) -> psycopg.Connection[Any]:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        dbname=settings["NAME"],
        user=role,
        password=password,
        autocommit=True,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_app_role_cannot_tamper_with_the_audit_log(roles) -> None:  # type: ignore[no-untyped-def]
    names, password = roles
    event = audit_record(actor=None, action=AuditAction.EXPORT, details={"rows": 1})
    call_command("db_roles", "--owner", names.owner, "--app", names.app, "--apply", verbosity=0)

    attempts: list[tuple[str, list[Any]]] = [
        ("TRUNCATE audit_auditevent", []),
        ("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]),
        ("UPDATE audit_auditevent SET action = 'login_success' WHERE id = %s", [event.pk]),
        ("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_delete", []),
        ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", []),
        ("SET session_replication_role = replica", []),
        ("DROP TABLE audit_auditevent", []),
        ("CREATE TABLE audit_copy (id int)", []),
    ]
    with _connect_as(names.app, password) as app:
        for sql, params in attempts:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(sql, params)
        (role, superuser) = app.execute(
            "SELECT current_user, current_setting('is_superuser')"
        ).fetchone()  # type: ignore[misc]
        assert (role, superuser) == (names.app, "off")
        assert app.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (1,)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == AuditAction.EXPORT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_application_writes_work_as_the_app_role(roles) -> None:  # type: ignore[no-untyped-def]
    """The registry itself, through the ORM, connected as the app's role."""
    names, password = roles
    call_command("db_roles", "--owner", names.owner, "--app", names.app, "--apply", verbosity=0)
    call_command("db_roles", "--owner", names.owner, "--app", names.app, "--check", verbosity=0)

    connection.close()
    original = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    connection.settings_dict.update(USER=names.app, PASSWORD=password)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (names.app,)
        assert app_role_check(databases=["default"]) == []  # check --deploy is content
        person = PersonFactory()
        person.email = "cambio@example.org"
        person.save(update_fields=["email"])
        audit_record(actor=None, action=AuditAction.PERSON_CREATE, obj=person)
        # The report aggregates are rebuilt with TRUNCATE (derived data: allowed).
        call_command("report_cells_rebuild", verbosity=0)
    finally:
        connection.close()
        connection.settings_dict.update(original)
    assert Person.objects.filter(pk=person.pk, email="cambio@example.org").exists()
    assert AuditEvent.objects.filter(object_code=person.code).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_tables_the_owner_creates_later_are_granted_too(roles) -> None:  # type: ignore[no-untyped-def]
    names, password = roles
    call_command("db_roles", "--owner", names.owner, "--app", names.app, "--apply", verbosity=0)
    # In production the owner owns the database and so may create in its schema.
    _execute(f"GRANT CREATE ON SCHEMA public TO {names.owner}")
    _execute(f"SET ROLE {names.owner}")
    try:
        _execute("CREATE TABLE test_later (id bigint GENERATED BY DEFAULT AS IDENTITY, v text)")
    finally:
        _execute("RESET ROLE")
    with _connect_as(names.app, password) as app:
        app.execute("INSERT INTO test_later (v) VALUES ('x')")
        assert app.execute("SELECT count(*) FROM test_later").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("TRUNCATE test_later")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_check_reports_a_role_that_can_rewrite_the_log(roles) -> None:  # type: ignore[no-untyped-def]
    names, _ = roles
    call_command("db_roles", "--owner", names.owner, "--app", names.app, "--apply", verbosity=0)
    _execute(f"GRANT DELETE, TRUNCATE ON {AuditEvent._meta.db_table} TO {names.app}")
    with pytest.raises(CommandError, match="puede alterar el registro de auditoría"):
        call_command("db_roles", "--owner", names.owner, "--app", names.app, "--check")


def test_statements_keep_the_audit_table_append_only() -> None:
    """The printed SQL (any database): the audit table loses UPDATE, DELETE and TRUNCATE."""
    statements = db_roles_statements(
        roles=RoleNames(owner="registry_owner", app="registry_app"), database="registry"
    )
    assert 'REVOKE UPDATE, DELETE, TRUNCATE ON "audit_auditevent" FROM "registry_app"' in statements
    assert not any("TRUNCATE ON ALL TABLES" in sql for sql in statements)
    assert any(
        sql.startswith('ALTER DEFAULT PRIVILEGES FOR ROLE "registry_owner"') for sql in statements
    )


@pytest.mark.parametrize(("owner", "app"), [("x; DROP TABLE y", "app"), ("same", "same")])
def test_bad_role_names_are_refused(owner: str, app: str) -> None:
    with pytest.raises(RoleSetupError):
        RoleNames(owner=owner, app=app)


@pytest.mark.postgres
@pytest.mark.django_db
def test_deploy_check_warns_when_the_app_connects_as_a_superuser(postgres_only) -> None:  # type: ignore[no-untyped-def]
    """The suite connects as the superuser postgres: exactly what production must not do."""
    [warning] = app_role_check(databases=["default"])
    assert warning.id == "accounts.W001"
    assert "SUPERUSER" in warning.msg


@pytest.mark.django_db
def test_deploy_check_is_silent_without_a_database_or_on_sqlite(is_postgres) -> None:  # type: ignore[no-untyped-def]
    assert app_role_check(databases=None) == []
    if not is_postgres:
        assert app_role_check(databases=["default"]) == []

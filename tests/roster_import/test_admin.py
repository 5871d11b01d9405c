"""The import in the Cohort admin: permission, preview, confirm."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import SchoolMembership
from courses.models import ImportBatch
from intake.admin_import import SESSION_KEY
from participants.models import Person
from tests.factories import SchoolFactory, UserFactory
from tests.roster_import.files import ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

REJECTED_ROW = [4, "", "", "", "40000004", "F", "", "", "", "", "", ""]


def _staff(*codenames: str, school=None):  # type: ignore[no-untyped-def]
    """A staff user with exactly these permissions; with `school`, a member of its staff
    (only registry administrators and a cohort's own school see a cohort at all)."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    if school is not None:
        SchoolMembership.objects.create(user=user, school=school)
    return user


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _import_url(cohort) -> str:  # type: ignore[no-untyped-def]
    return reverse("admin:courses_cohort_import_roster", args=[cohort.pk])


def test_without_the_permission_the_import_is_hidden_and_refused(cohort) -> None:  # type: ignore[no-untyped-def]
    client = _client(_staff("view_cohort", "change_cohort", school=cohort.school))
    page = client.get(reverse("admin:courses_cohort_change", args=[cohort.pk]))
    assert page.status_code == 200
    assert _import_url(cohort) not in page.content.decode()
    changelist = client.get(reverse("admin:courses_cohort_changelist"))
    assert "import_roster_action" not in changelist.content.decode()
    assert client.get(_import_url(cohort)).status_code == 403
    upload = SimpleUploadedFile("lista.csv", csv_bytes(ROWS))
    assert client.post(_import_url(cohort), {"file": upload}).status_code == 403
    assert Person.objects.count() == 0


def test_with_the_permission_the_link_and_action_show(cohort) -> None:  # type: ignore[no-untyped-def]
    client = _client(_staff("view_cohort", "import_roster", school=cohort.school))
    page = client.get(reverse("admin:courses_cohort_change", args=[cohort.pk]))
    assert _import_url(cohort) in page.content.decode()
    changelist = client.get(reverse("admin:courses_cohort_changelist"))
    assert "import_roster_action" in changelist.content.decode()
    response = client.post(
        reverse("admin:courses_cohort_changelist"),
        {"action": "import_roster_action", "_selected_action": [cohort.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == _import_url(cohort)


def test_preview_then_confirm(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    assert client.get(_import_url(cohort)).status_code == 200
    upload = SimpleUploadedFile("lista.xlsx", xlsx_bytes([*ROWS, REJECTED_ROW]))
    preview = client.post(_import_url(cohort), {"file": upload, "commit_valid": "on"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Vista previa" in html
    assert "Persona nueva" in html
    assert "Rechazada" in html
    assert "fila sin nombre ni apellidos" in html
    assert "Escala del pre-test: 0-20" in html
    assert Person.objects.count() == 0  # nothing written by the preview
    token = next(iter(client.session[SESSION_KEY]))

    result = client.post(
        _import_url(cohort), {"token": token, "pre_scale": "20", "post_scale": "20"}
    )
    assert result.status_code == 200
    assert Person.objects.count() == 3
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.imported_by, batch.file_name) == (
        "partial",
        admin_user,
        "lista.xlsx",
    )
    assert token not in client.session[SESSION_KEY]  # a token is used once
    again = client.post(_import_url(cohort), {"token": token}, follow=True)
    assert "caducó" in again.content.decode()
    assert ImportBatch.objects.count() == 1


def test_confirm_with_an_unknown_token_imports_nothing(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    response = client.post(_import_url(cohort), {"token": "not-mine"}, follow=True)
    assert "caducó" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_token_only_works_for_the_cohort_it_was_previewed_for(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import CohortFactory

    client = _client(admin_user)
    client.post(_import_url(cohort), {"file": SimpleUploadedFile("l.csv", csv_bytes(ROWS))})
    token = next(iter(client.session[SESSION_KEY]))
    other = CohortFactory()
    client.post(_import_url(other), {"token": token}, follow=True)
    assert ImportBatch.objects.count() == 0


def test_bad_file_shows_the_error_on_the_form(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    upload = SimpleUploadedFile("lista.xlsx", b"\x00\x01 no es un libro")
    response = client.post(_import_url(cohort), {"file": upload})
    assert response.status_code == 200
    assert "lista.xlsx: el contenido no es un CSV ni un XLSX" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_already_imported_file_offers_no_confirm(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    from intake.roster_import import roster_import

    roster_import(file=csv_bytes(ROWS), file_name="l.csv", cohort=cohort)
    client = _client(admin_user)
    response = client.post(
        _import_url(cohort), {"file": SimpleUploadedFile("l.csv", csv_bytes(ROWS))}
    )
    html = response.content.decode()
    assert "ya importado" in html
    assert "Confirmar importación" not in html


def test_a_new_preview_replaces_the_previous_one(cohort, admin_user, preview_folder) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    client.post(_import_url(cohort), {"file": SimpleUploadedFile("a.csv", csv_bytes(ROWS))})
    first = dict(client.session[SESSION_KEY])
    client.post(_import_url(cohort), {"file": SimpleUploadedFile("b.csv", csv_bytes(ROWS[:1]))})
    second = client.session[SESSION_KEY]
    assert len(second) == 1
    assert next(iter(second.values()))["file_name"] == "b.csv"
    assert not list(preview_folder.glob(f"{next(iter(first.values()))['name']}*"))


def test_school_staff_cannot_import_into_another_schools_cohort(cohort) -> None:  # type: ignore[no-untyped-def]
    other_school = SchoolFactory()
    client = _client(_staff("view_cohort", "import_roster", school=other_school))
    assert client.get(_import_url(cohort)).status_code in (403, 404)
    upload = SimpleUploadedFile("lista.csv", csv_bytes(ROWS))
    assert client.post(_import_url(cohort), {"file": upload}).status_code in (403, 404)
    assert Person.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_confirm_after_another_import_took_a_new_dni_links_instead_of_failing(
    cohort, admin_user, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    """Another import commits the same new DNI between this confirmation's planning and its
    commit: the page answers normally, the row links to that person, the log has no DNI."""
    import logging

    from courses.models import Enrollment
    from intake.roster_import import committing, roster_import
    from tests.factories import CohortFactory

    caplog.set_level(logging.DEBUG)
    shared = [9, "Villanueva", "Cárdenas", "Teodora", "40000777", "F", "", "", "", "", 11, 17]
    client = _client(admin_user)
    client.post(
        _import_url(cohort), {"file": SimpleUploadedFile("a.csv", csv_bytes([ROWS[0], shared]))}
    )
    token = next(iter(client.session[SESSION_KEY]))
    real_plan = committing.plan_import
    raced: list[bool] = []

    def plan_then_let_the_other_commit(**kwargs):  # type: ignore[no-untyped-def]
        plan = real_plan(**kwargs)
        if not raced:
            raced.append(True)
            roster_import(file=csv_bytes([shared]), file_name="b.csv", cohort=CohortFactory())
        return plan

    monkeypatch.setattr(committing, "plan_import", plan_then_let_the_other_commit)
    response = client.post(_import_url(cohort), {"token": token})

    assert response.status_code == 200
    assert "a.csv: importado" in response.content.decode()
    teodora = Person.objects.get(document_number="40000777")
    assert Enrollment.objects.filter(person=teodora).count() == 2
    assert "40000777" not in caplog.text


def test_confirm_that_keeps_losing_the_race_says_so_in_spanish(
    cohort, admin_user, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError

    from intake.roster_import import committing

    client = _client(admin_user)
    client.post(_import_url(cohort), {"file": SimpleUploadedFile("a.csv", csv_bytes(ROWS))})
    token = next(iter(client.session[SESSION_KEY]))

    def conflicting(**kwargs):  # type: ignore[no-untyped-def]
        raise IntegrityError("Key (document_type, document_number)=(dni, 40000001)")

    monkeypatch.setattr(committing, "_commit", conflicting)
    response = client.post(_import_url(cohort), {"token": token}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "otra importación estaba registrando a las mismas personas" in html
    assert "40000001" not in html
    assert ImportBatch.objects.count() == 0


def _many_rows(count: int, *, post_outlier_at: int | None = None) -> list[list[object]]:
    """`count` synthetic participants with distinct DNIs; one post-test of 21 if asked."""
    given = ["Ana", "Luis", "Rosa", "Pedro", "Elena", "Jorge", "Marta", "Raúl", "Sonia", "Iván"]
    surnames = ["Quispe", "Mamani", "Flores", "Huamán", "Rojas", "Torres", "Vargas", "Castro"]
    return [
        [
            number,
            f"{surnames[number % 8]}{'abcdefghijklmnopqrstuvwxyz'[number % 26]}",
            surnames[(number // 8) % 8],
            f"{given[number % 10]} {given[(number // 10) % 10]}",
            f"{42000000 + number}",
            "F" if number % 2 else "M",
            "PNP",
            "",
            "Cusco",
            "",
            10 + number % 5,
            21 if number == post_outlier_at else 15 + number % 5,
        ]
        for number in range(1, count + 1)
    ]


def test_the_preview_shows_the_summary_first_then_one_page_of_rows(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    rows = _many_rows(230, post_outlier_at=7)
    preview = client.post(
        _import_url(cohort), {"file": SimpleUploadedFile("lista.csv", csv_bytes(rows))}
    )
    html = preview.content.decode()
    # Summary, scale decision and button come before the rows.
    positions = [
        html.index(marker)
        for marker in (
            "Escala del post-test: 0-20 (inferida de las notas, confirme). 1 nota mayor que la "
            "escala no se guarda (fila 8).",
            'id="roster-totals"',
            "Confirmar importación",
            'id="roster-rows"',
        )
    ]
    assert positions == sorted(positions)
    assert "Persona nueva: filas 1 a 100 de 230" in html
    assert html.count('<tr class="outcome-new">') == 100
    # The row is recognisable: its name, DNI and scores.
    assert "42000001" in html
    assert "Página 1 de 3" in html

    token = next(iter(client.session[SESSION_KEY]))
    last = client.get(_import_url(cohort), {"preview": token, "outcome": "new", "page": 3})
    last_html = last.content.decode()
    assert last.status_code == 200
    assert "Persona nueva: filas 201 a 230 de 230" in last_html
    assert last_html.count('<tr class="outcome-new">') == 30
    assert "42000230" in last_html
    assert "Confirmar importación" in last_html  # still confirmable from any page
    assert Person.objects.count() == 0

    # Another user's session cannot read the preview.
    other = _client(UserFactory(is_staff=True, is_superuser=True))
    response = other.get(_import_url(cohort), {"preview": token}, follow=True)
    assert "caducó" in response.content.decode()
    assert "42000001" not in response.content.decode()


def test_rows_are_grouped_by_outcome_rejected_first(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    upload = SimpleUploadedFile("lista.csv", csv_bytes([*ROWS, REJECTED_ROW]))
    html = client.post(_import_url(cohort), {"file": upload}).content.decode()
    assert "Rechazada: filas 1 a 1 de 1" in html
    assert html.count('<tr class="outcome-rejected">') == 1
    assert 'class="outcome-new"' not in html
    token = next(iter(client.session[SESSION_KEY]))
    new = client.get(_import_url(cohort), {"preview": token, "outcome": "new"}).content.decode()
    assert new.count('<tr class="outcome-new">') == 3


def test_a_file_that_will_not_be_imported_offers_no_confirmation(
    cohort, admin_user, preview_folder
) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    upload = SimpleUploadedFile("lista.csv", csv_bytes([REJECTED_ROW]))
    html = client.post(_import_url(cohort), {"file": upload}).content.decode()
    assert "no se importaría" in html
    assert "Confirmar importación" not in html
    assert "Importar solo las filas válidas" not in html
    assert 'id="roster-not-imported"' in html
    # Its bytes are not kept, and its token cannot import anything, not even "valid" rows.
    assert not list(preview_folder.glob("*.roster"))
    token = next(iter(client.session[SESSION_KEY]))
    response = client.post(_import_url(cohort), {"token": token, "valid_only": "1"}, follow=True)
    assert "caducó" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_rejected_rows_offer_importing_the_valid_rows_of_the_same_upload(
    cohort, admin_user, preview_folder
) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    upload = SimpleUploadedFile("lista.csv", csv_bytes([*ROWS, REJECTED_ROW]))
    html = client.post(_import_url(cohort), {"file": upload}).content.decode()
    assert "no se importaría" in html
    assert "Confirmar importación" not in html
    assert 'name="valid_only" value="Importar solo las filas válidas"' in html
    assert "La fila rechazada no se importará" in html
    assert 'id="roster-not-imported"' not in html
    assert list(preview_folder.glob("*.roster"))  # the bytes wait for that confirmation
    token = next(iter(client.session[SESSION_KEY]))
    # The plain confirmation would import the file whole, which its rejected row forbids.
    refused = client.post(_import_url(cohort), {"token": token}, follow=True)
    assert "caducó" in refused.content.decode()
    assert ImportBatch.objects.count() == 0

    client.post(
        _import_url(cohort),
        {"file": SimpleUploadedFile("lista.csv", csv_bytes([*ROWS, REJECTED_ROW]))},
    )
    token = next(iter(client.session[SESSION_KEY]))
    result = client.post(_import_url(cohort), {"token": token, "valid_only": "1"})
    html = result.content.decode()
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows_new, batch.rows_rejected) == ("partial", 3, 1)
    assert batch.imported_by == admin_user
    assert Person.objects.count() == 3
    assert "Resultado: lista.csv" in html
    assert "importadas las filas válidas" in html
    # Nothing is left to confirm on the result page, in any of its words.
    assert "confirm" not in html.lower().split("</h2>", 1)[1]
    assert "Importar solo las filas válidas" not in html
    assert "Volver a la cohorte" in html
    assert not list(preview_folder.glob("*.roster"))
    # The token was used once.
    again = client.post(_import_url(cohort), {"token": token, "valid_only": "1"}, follow=True)
    assert "caducó" in again.content.decode()
    assert ImportBatch.objects.count() == 1


def test_the_result_links_a_reviewer_to_the_pairs_the_import_left(
    cohort, admin_user, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    from intake.roster_import import planning
    from participants.models import DuplicateCandidate
    from tests.factories import PersonFactory

    existing = PersonFactory(document_number="")

    def review_first(rows: pd.DataFrame, **_options: object) -> pd.DataFrame:
        result = pd.DataFrame(
            {
                "person_id": pd.Series(pd.NA, index=rows.index, dtype="Int64"),
                "outcome": "new",
                "score": 0.0,
                "reason": "sin coincidencias",
                "same_as_row": pd.Series(pd.NA, index=rows.index, dtype="Int64"),
                "review_person_id": pd.Series(pd.NA, index=rows.index, dtype="Int64"),
            },
            index=rows.index,
        )
        first = rows.index[0]
        result.loc[first, ["outcome", "score", "reason"]] = ["review", 0.7, "apellidos iguales"]
        result.loc[first, "review_person_id"] = existing.pk
        return result

    monkeypatch.setattr(planning, "match_rows", review_first)
    client = _client(admin_user)
    client.post(_import_url(cohort), {"file": SimpleUploadedFile("l.csv", csv_bytes(ROWS))})
    token = next(iter(client.session[SESSION_KEY]))
    preview = client.get(_import_url(cohort), {"preview": token}).content.decode()
    assert 'id="roster-duplicates"' not in preview  # nothing was queued yet
    html = client.post(_import_url(cohort), {"token": token}).content.decode()
    assert DuplicateCandidate.objects.count() == 1
    assert "1 fila quedó" in html
    assert f'href="{reverse("review:queue")}"' in html
    assert "revisarla en la cola de revisión" in html
    # The result's own pages keep saying it.
    token = next(iter(client.session[SESSION_KEY]))
    page = client.get(_import_url(cohort), {"preview": token, "outcome": "new"}).content.decode()
    assert "revisarla en la cola de revisión" in page


def test_an_inferred_scale_is_not_preselected_and_is_recorded_as_inferred(
    cohort, admin_user
) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    rows = _many_rows(12, post_outlier_at=5)
    html = client.post(
        _import_url(cohort), {"file": SimpleUploadedFile("lista.csv", csv_bytes(rows))}
    ).content.decode()
    assert '<option value="" selected>Inferida de las notas (0 a 20)</option>' in html
    assert '<option value="100" selected>' not in html
    token = next(iter(client.session[SESSION_KEY]))
    client.post(_import_url(cohort), {"token": token, "pre_scale": "", "post_scale": ""})
    options = ImportBatch.objects.get().options
    assert (options["post_scale"], options["post_scale_inferred"]) == ("20", True)
    assert options["scale_outlier_rows"] == {"pre": [], "post": [6]}


def test_a_scale_the_user_picks_is_recorded_as_stated(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    rows = _many_rows(12)
    client.post(_import_url(cohort), {"file": SimpleUploadedFile("l.csv", csv_bytes(rows))})
    token = next(iter(client.session[SESSION_KEY]))
    client.post(_import_url(cohort), {"token": token, "post_scale": "20"})
    options = ImportBatch.objects.get().options
    assert (options["pre_scale_inferred"], options["post_scale_inferred"]) == (True, False)


def test_linked_persons_details_are_for_registry_administrators_only(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory

    registered = PersonFactory(
        given_names="Lucía",
        paternal_surname="Huamán",
        maternal_surname="Zegarra",
        document_number="47100011",
    )
    EnrollmentFactory(person=registered, cohort=CohortFactory())  # another school's cohort
    row = [1, "Huamán", "", "Lucía", "47100011", "F", "PNP", "", "Cusco", "", 12, 18]
    upload = {"file": SimpleUploadedFile("l.csv", csv_bytes([row]))}

    admin_html = _client(admin_user).post(_import_url(cohort), upload).content.decode()
    assert registered.code in admin_html
    assert "HUAMÁN ZEGARRA, Lucía" in admin_html or "Huamán Zegarra, Lucía" in admin_html

    staff = _staff("view_cohort", "import_roster", school=cohort.school)
    upload = {"file": SimpleUploadedFile("l.csv", csv_bytes([row]))}
    staff_html = _client(staff).post(_import_url(cohort), upload).content.decode()
    assert "Vinculada a una persona existente" in staff_html
    assert "persona ya registrada en el registro" in staff_html
    assert registered.code not in staff_html
    assert "Zegarra" not in staff_html
    assert "47100011" in staff_html  # the row's own cell, from the school's own file


def test_the_persons_page_names_the_roster_row_in_spanish_on_limas_clock(
    cohort, admin_user
) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from intake.roster_import import roster_import

    roster_import(file=csv_bytes(ROWS[:1]), file_name="lista.csv", cohort=cohort)
    # 03:30 UTC on 10 March is 22:30 on 9 March in Lima: the day the school imported it.
    ImportBatch.objects.update(created_at=datetime(2026, 3, 10, 3, 30, tzinfo=UTC))
    person = Person.objects.get()
    html = (
        _client(admin_user)
        .get(reverse("admin:participants_person_change", args=[person.pk]))
        .content.decode()
    )
    assert "lista.csv (2026-03-09 22:30)" in html
    assert "2026-03-10" not in html
    assert "lista.csv, fila 2" in html  # the identity record's roster row
    assert "lista.csv row" not in html  # the row itself, in the inline's first column

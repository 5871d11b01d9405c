"""Every CSV and XLSX the registry writes, over data whose text carries formula payloads.

EXPORTS is the explicit list of the project's writers (each command and each web
download, in each format). `test_no_writer_outside_the_list` fails when a module writes a
spreadsheet without going through the `spreadsheets` package, or when a module uses that
package without its export being listed here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.admin import site
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from import_export.admin import ExportMixin
from openpyxl import load_workbook

from courses.models import Enrollment
from intake.roster_import import roster_import
from participants.models import InstitutionAlias, Person
from registry.admin.vocabulary_exchange import InstitutionAliasResource, RegistryCSV, RegistryXLSX
from registry.reports.maintenance import report_cells_refresh
from registry.reports.tables import TABLES
from spreadsheets import is_formula_text
from tests.factories import CohortFactory

PAYLOADS = [
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]
ROOT = Path(__file__).resolve().parents[2]
# Tables whose text is the registry's own (labels, codes, numbers): no payload reaches them.
FIXED_TEXT_TABLES = {
    "summary",
    "by_sex",
    "by_component",
    "by_year",
    "repeat_participation",
    "pre_post_overall",
    "pre_post_by_knowledge",
    "completeness",
    "indicators_by_sex",
    "indicators_knowledge",
    "indicators_survey",
}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture
def payloads(registry, tmp_path):  # type: ignore[no-untyped-def]
    """The report fixture with a payload in every free or named text an export shows."""
    r = registry
    title, provider, label, role, region, acronym = PAYLOADS
    r.course_a.title, r.course_a.provider = title, provider
    r.course_a.save()
    r.k1.label = label
    r.k1.save()
    r.r1.name = role
    r.r1.save()
    r.ra.name = region
    r.ra.save()
    r.ia.acronym, r.ia.name = acronym, title
    r.ia.save()
    r.t1.name, r.t1.text = title, provider
    r.t1.save()
    # Free text as rosters wrote it, and names as the review export shows them.
    for person, payload in zip((r.p2, r.p4, r.p6), PAYLOADS[:3], strict=True):
        Enrollment.objects.filter(person=person).update(
            institution=None, institution_text=payload, role=None, role_text=PAYLOADS[3]
        )
    for person, payload in zip((r.p3, r.p4, r.p6), PAYLOADS[3:], strict=True):
        Person.objects.filter(pk=person.pk).update(
            given_names=payload, paternal_surname=payload, maternal_surname=""
        )
    rows = [
        ["Apellido paterno", "Apellido materno", "Nombres", "DNI", "Institución", "Cargo"],
        ["Quispe", "Mamani", "Rosa", "47911111", PAYLOADS[0], PAYLOADS[1]],
        ["Huaman", "Ccori", "Pedro", "47922222", PAYLOADS[4], PAYLOADS[5]],
    ]
    roster = "\r\n".join(",".join(f'"{cell}"' for cell in row) for row in rows) + "\r\n"
    report = roster_import(
        file=roster.encode(), file_name="payloads.csv", cohort=CohortFactory(label=PAYLOADS[2])
    )
    assert report.imported
    # The saves' commits and the bulk updates' pending marks, applied as they would be.
    report_cells_refresh()
    return SimpleNamespace(registry=r, tmp=tmp_path)


def _client(admin_user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin_user)
    return client


def _web(url_name: str, *args: str) -> Callable[..., tuple[str, bytes]]:
    def run(data, admin_user) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
        response = _client(admin_user).get(reverse(url_name, args=args))
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return args[-1] if args else "xlsx", body

    return run


def _command(name: str, *args: str, output: str = "") -> Callable[..., tuple[str, bytes]]:
    def run(data, admin_user) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
        out = io.StringIO()
        if not output:
            call_command(name, *args, stdout=out, stderr=io.StringIO())
            return "csv", out.getvalue().encode("utf-8")
        path = data.tmp / output
        call_command(name, *args, str(path), stdout=out, stderr=io.StringIO())
        return path.suffix.lstrip("."), path.read_bytes()

    return run


def _alias_export(file_format: str) -> Callable[..., tuple[str, bytes]]:
    """What the admin's "Exportar" of the institution aliases writes, in its formats."""

    def run(data, admin_user) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
        InstitutionAlias.objects.create(key="ESCRITURA DE PRUEBA", institution=data.registry.ia)
        admin_class = type(site._registry[InstitutionAlias])
        writer = {f().get_title(): f for f in admin_class.export_formats}[file_format]()
        body = writer.export_data(InstitutionAliasResource().export())
        return file_format, body.encode("utf-8") if isinstance(body, str) else body

    return run


# Every writer of the project: (module that writes, name, how to run it).
EXPORTS: list[tuple[str, str, Callable[..., tuple[str, bytes]]]] = [
    *(
        ("registry/reports/exports.py", f"web {name}.{fmt}", _web("reports:export", name, fmt))
        for name in TABLES
        for fmt in ("csv", "xlsx")
    ),
    *(
        (
            "registry/reports/exports.py",
            f"web participations.{fmt}",
            _web("reports:participations", fmt),
        )
        for fmt in ("csv", "xlsx")
    ),
    (
        "registry/reports/indicator_workbook.py",
        "web informe-indicadores.xlsx",
        _web("reports:indicator_report"),
    ),
    (
        "registry/management/commands/coverage_report.py",
        "coverage_report --format csv",
        _command("coverage_report", "--format", "csv"),
    ),
    (
        "registry/reports/indicator_workbook.py",
        "coverage_report --indicator-report",
        _command("coverage_report", "--indicator-report", output="informe.xlsx"),
    ),
    (
        "registry/management/commands/export_participations.py",
        "export_participations (stdout)",
        _command("export_participations"),
    ),
    (
        "registry/management/commands/export_participations.py",
        "export_participations --output",
        _command("export_participations", "--output", output="participaciones.csv"),
    ),
    *(
        (
            "review/spreadsheet/files.py",
            f"review_export .{fmt}",
            _command("review_export", "--output", output=f"pares.{fmt}"),
        )
        for fmt in ("csv", "xlsx")
    ),
    *(
        (
            "registry/admin/vocabulary_exchange.py",
            f"admin export of institution aliases .{fmt}",
            _alias_export(fmt),
        )
        for fmt in ("csv", "xlsx")
    ),
]


def _cells(file_format: str, body: bytes) -> list[tuple[str, object, str]]:
    """(where, value, data type) of every cell of the file."""
    if file_format == "csv":
        text = body.decode("utf-8-sig")
        return [
            (f"fila {n}", cell, "s")
            for n, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
            for cell in row
        ]
    workbook = load_workbook(io.BytesIO(body))
    return [
        (f"{sheet.title}!{cell.coordinate}", cell.value, cell.data_type)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def _unsafe(file_format: str, body: bytes) -> list[tuple[str, object]]:
    return [
        (where, value)
        for where, value, data_type in _cells(file_format, body)
        if data_type == "f" or (is_formula_text(value) and not _NUMBER.fullmatch(str(value)))
    ]


@pytest.mark.parametrize(
    ("module", "run"), [(module, run) for module, _, run in EXPORTS], ids=[e[1] for e in EXPORTS]
)
def test_no_cell_starts_a_formula(payloads, admin_user, request, module: str, run) -> None:  # type: ignore[no-untyped-def]
    file_format, body = run(payloads, admin_user)
    cells = _cells(file_format, body)
    if not any(f"web {name}." in request.node.callspec.id for name in FIXED_TEXT_TABLES):
        # The payloads did reach the file (escaped), so the check below is not vacuous.
        assert any(isinstance(value, str) and value.startswith("'") for _, value, _ in cells)
    assert _unsafe(file_format, body) == []


# Raw writers: only the shared package may call them. Benchmarks write input rosters for
# the import (not exports anyone opens), and tests build files to import.
_RAW_WRITER = re.compile(
    r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|\.to_csv\(|\.to_excel\(|tablib\.|"
    r"ExportMixin|ExportActionMixin|ImportExportModelAdmin|ExportActionModelAdmin"
)
_SHARED_WRITER = re.compile(
    r"from spreadsheets import|import spreadsheets|courses\.exports import|"
    r"registry\.reports\.exports import|registry\.reports import .*exports"
)
_SKIPPED = ("tests", "benchmarks", ".venv", "spreadsheets", "node_modules")
# Builders of test fixtures that must be byte for byte what another tool exports (Moodle,
# Google Forms ...), escaping included or not: they write no registry data.
_TOOL_FIXTURE_BUILDERS = ("fixtures/rosters/real_tools/build.py",)


def _sources() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] not in _SKIPPED
        and "migrations" not in path.parts
        and path.relative_to(ROOT).as_posix() not in _TOOL_FIXTURE_BUILDERS
    ]


def test_no_writer_outside_the_list() -> None:
    listed = {module for module, _, _ in EXPORTS}
    # Modules that only pass rows on to a listed writer, or re-export the shared package.
    relays = {
        "registry/reports/download_views.py",
        "registry/reports/tables.py",
        "review/spreadsheet/export.py",
    }
    raw, unlisted = [], []
    for path in _sources():
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if _RAW_WRITER.search(text):
            raw.append(name)
        if _SHARED_WRITER.search(text) and name not in listed | relays:
            unlisted.append(name)
    # The admin's import-export screens, whose only export formats are the registry's own
    # writers (registry/admin/vocabulary_exchange.py, listed above).
    for admin_class in {type(model_admin) for model_admin in site._registry.values()}:
        if issubclass(admin_class, ExportMixin):
            assert set(admin_class.export_formats) <= {RegistryCSV, RegistryXLSX}, admin_class
    raw = [name for name in raw if name != "registry/admin/vocabularies.py"]
    assert raw == [], "write spreadsheets through the spreadsheets package"
    assert unlisted == [], "add the new export to EXPORTS in this module"

"""Readable Spanish views of the JSON kept for the audit trail (imports, merges, events).

Import records, merges and audit events keep structured details (JSON) so that they stay
explainable; the admin shows them as labelled tables instead of raw JSON. Keys the labels do
not know are shown as written, so nothing recorded is ever hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Keys written by the roster import, merges and audit events, as users read them.
KEY_LABELS: dict[str, str] = {
    # roster import options
    "commit_valid": "Importar solo las filas válidas",
    "pre_scale": "Escala de la prueba de entrada",
    "post_scale": "Escala de la prueba de salida",
    "pre_scale_inferred": "Escala de entrada deducida de las notas",
    "post_scale_inferred": "Escala de salida deducida de las notas",
    "scale_outlier_rows": "Filas con notas fuera de la escala",
    "scale_warnings": "Advertencias sobre la escala",
    "rows_repeated": "Filas repetidas en la lista",
    "rows_skipped": "Filas omitidas",
    "format": "Formato del archivo",
    "encoding": "Codificación",
    "delimiter": "Separador",
    "header_row": "Fila de encabezados",
    "linkage_model": "Modelo de vinculación",
    "linkage_model_version": "Versión del modelo de vinculación",
    "pre": "Prueba de entrada",
    "post": "Prueba de salida",
    "scale_from_file": "Escala indicada en el archivo",
    "scale_notes": "Notas convertidas de escala",
    "columns_read": "Columnas leídas",
    "columns_set_aside": "Columnas que no se importan",
    "columns_unread": "Columnas sin leer",
    # column profiles (a roster header mapped to a field)
    "header": "Encabezado",
    "field": "Se lee como",
    "previous_field": "Antes se leía como",
    "owner": "Escuela o proveedor",
    # rejected rows and problems
    "row": "Fila",
    "reason": "Motivo",
    "problems": "Observaciones",
    "raw": "Celdas recibidas",
    "column": "Columna",
    "problem": "Observación",
    # audit details
    "batch": "Lote de importación",
    "file": "Archivo",
    "sha256": "SHA-256",
    "status": "Estado",
    "counts": "Conteos",
    "new": "Personas nuevas",
    "linked": "Vinculadas a personas existentes",
    "review": "Posibles duplicados para revisión",
    "repeated": "Repetidas en la lista",
    "rejected": "Rechazadas",
    "skipped": "Omitidas",
    "merged": "Persona fusionada",
    "merge_id": "Fusión",
    "rule": "Regla",
    "score": "Probabilidad de coincidencia",
    # merge state kept for undoing
    "version": "Versión",
    "survivor": "Persona que se conserva",
    "candidate": "Posible duplicado",
    "id": "Id",
    "code": "Código de participante",
    "given_names": "Nombres",
    "paternal_surname": "Apellido paterno",
    "maternal_surname": "Apellido materno",
    "sex": "Sexo",
    "document_type": "Tipo de documento",
    "document_number": "Número de documento",
    "birth_date": "Fecha de nacimiento",
    "email": "Correo electrónico",
    "phone": "Teléfono",
    "paternal_key": "Clave del apellido paterno",
    "maternal_key": "Clave del apellido materno",
    "given_key": "Clave de los nombres",
    "merged_into_id": "Fusionada con (id)",
    "created_at": "Creado el",
    "updated_at": "Actualizado el",
    "moved_enrollments": "Inscripciones trasladadas",
    "folded_enrollments": "Inscripciones combinadas",
    "kept_enrollments": "Inscripciones conservadas",
    "moved_scores": "Puntajes trasladados",
    "removed_scores": "Puntajes retirados",
    "source_records": "Filas de origen",
    "candidates_repointed": "Posibles duplicados reasignados",
    "candidates_removed": "Posibles duplicados retirados",
    "field_choices": "Valores elegidos por quien revisó",
    "forced": "Forzada",
    "conflicts": "Valores en conflicto",
    # role changes (accounts.role_audit)
    "via": "Hecho desde",
    "changed": "Qué cambió",
    "before": "Antes",
    "after": "Después",
    "groups": "Roles (grupos)",
    "permissions": "Permisos",
    "name": "Nombre",
    "is_staff": "Accede a la administración",
    "is_superuser": "Superusuario",
    "school": "Escuela",
    "role": "Rol",
}
# Values the import and the merge write as codes.
VALUE_LABELS: dict[str, str] = {
    "committed": "Importada",
    "partial": "Importada sin sus filas rechazadas",
    "rejected": "Rechazada, no se importó nada",
    "active": "Activa",
    "merged": "Fusionada con otra persona",
    "csv": "CSV",
    "xlsx": "XLSX",
    # the fields a roster column is read as (courses.roster_fields)
    "given_names": "nombres",
    "paternal_surname": "apellido paterno",
    "maternal_surname": "apellido materno",
    "surnames": "apellidos (paterno y materno, en una celda)",
    "full_name": "apellidos y nombres, en una celda",
    "full_name_given_first": "nombres y apellidos, en una celda",
    "dni": "DNI",
    "document_type": "tipo de documento",
    "sex": "sexo",
    "institution": "institución",
    "role": "cargo",
    "region": "región",
    "email": "correo electrónico",
    "phone": "teléfono",
    "birth_date": "fecha de nacimiento",
    "pre_score": "nota del pre-test",
    "post_score": "nota del post-test",
    "ignore": "no importar",
    "admin_site": "las páginas de administración",
    "groups": "roles (grupos)",
    "permissions": "permisos",
    "is_staff": "acceso a la administración",
    "is_superuser": "superusuario",
    "school": "escuela",
}


def key_label(key: str) -> str:
    return KEY_LABELS.get(key, key)


def json_as_html(value: Any) -> SafeString:
    """Render JSON as nested tables and lists, labelled in Spanish; "—" for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return format_html("{}", "—")
    if isinstance(value, bool):
        return format_html("{}", "Sí" if value else "No")
    if isinstance(value, Mapping):
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            ((key_label(str(key)), json_as_html(item)) for key, item in value.items()),
        )
        return format_html("<table>{}</table>", rows)
    if isinstance(value, list):
        items = format_html_join("", "<li>{}</li>", ((json_as_html(item),) for item in value))
        return format_html("<ul>{}</ul>", items)
    return format_html("{}", VALUE_LABELS.get(str(value), str(value)))


def rejected_rows_as_html(rows: list[dict[str, Any]]) -> SafeString:
    """The rejected rows of an import as a table: row, reason and what each column had."""
    if not rows:
        return format_html("{}", "Ninguna")
    body = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                row.get("row", "—"),
                row.get("reason", "—"),
                _problems_as_html(row.get("problems") or []),
                json_as_html(row.get("raw") or {}),
            )
            for row in rows
        ),
    )
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        key_label("row"),
        key_label("reason"),
        key_label("problems"),
        key_label("raw"),
        body,
    )


def _problems_as_html(problems: list[dict[str, str]]) -> SafeString:
    if not problems:
        return format_html("{}", "—")
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{}: {}</li>",
            ((problem.get("column", ""), problem.get("problem", "")) for problem in problems),
        ),
    )

"""A wave's contact list in the file each survey tool takes as it is.

One row per sample member: the token (random per person and wave, what the survey tool
shows instead of any identifier), the stratum, and for a registry administrator the
participant code, names, latest e-mail and phone and the last known institution and region
(`followup.contacts`). An analyst's list is pseudonymised: the token and the stratum only.
A member who withdrew consent to be contacted since the draw, or whose data were cancelled,
is left out of every list from that moment: nobody writes to them from an old file made
today. Every cell goes through the registry's formula escaper (`spreadsheets`), so a name
typed as "=cmd" arrives as the text "'=cmd"; every export is written to the audit log.

The formats, and the documented rule each follows:

- ODK Central entity list (`odk`, CSV): Central's "upload Entities" takes a CSV whose header
  is `label` (required: the Entity's name shown everywhere in Central) and the Entity List's
  properties, which must already exist on the list (an unknown column is refused), each
  header unique and non-empty, comma-delimited, UTF-8. Property names follow the rules of
  ODK entity properties: valid XML names, not `name` nor `label`, and nothing starting with
  `__` (reserved for Central's system columns such as `__id`). No `__id` is written, so
  Central gives each Entity its own UUID; the token is the key forms look members up by.
- LimeSurvey participants (`limesurvey`, CSV): the survey participants' "Import from CSV"
  reads a comma-separated file whose first line names the fields; `firstname`, `lastname`
  and `email` are the mandatory columns, `token` the access code (LimeSurvey drops from a
  token what is not a letter, a digit or a few punctuation marks, and its field is short:
  ours are 20 hexadecimal characters, safe on both counts), and `attribute_1`,
  `attribute_2` ... the survey's participant attributes, in the order of
  `LIMESURVEY_ATTRIBUTES` (create them in the survey with those descriptions).
  Character set UTF-8 (choose it, or "automatic", in the import form). No `validfrom` /
  `validuntil`: they limit when a token may be used, and empty means always. LimeSurvey's
  "filter blank email addresses" option, on by default, skips rows without an e-mail:
  untick it to keep members reached by phone, and for a pseudonymised list.
- KoboToolbox `pulldata()` (`kobo`, CSV or XLSX): the form's media file is a CSV with a
  header row of short, unique column names (used as written in `pulldata('file', 'column',
  'token', ${token})`), comma-delimited, and the key column first; names are ASCII letters,
  digits and "_" so they are valid in an XLSForm. Upload the CSV as the form's media file
  under a name without spaces or accents (the suggested name is so); pulldata reads only
  CSV, the XLSX is for people to read. CSV files for the tools carry no byte-order mark:
  the tools read UTF-8 themselves, and a mark would become part of the first column's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.text import slugify

from accounts.contact_consent import persons_consenting
from accounts.minors import minors_without_follow_up_consent
from audit.models import AuditAction
from audit.services import COMMAND_LINE, audit_record
from followup.access import can_identify, can_use_waves
from followup.contacts import latest_contacts, latest_posts
from followup.models import STRATUM_DIMENSIONS, MemberStatus, SurveyWave, WaveMember, WaveStatus
from followup.population import stratum_parts
from participants.models import PersonStatus
from spreadsheets.csv_files import csv_bytes
from spreadsheets.xlsx_files import sheet_table, workbook_bytes, workbook_new


class ListFormat(models.TextChoices):
    ODK = "odk", "ODK Central (lista de entidades)"
    LIMESURVEY = "limesurvey", "LimeSurvey (participantes)"
    KOBO = "kobo", "KoboToolbox (pulldata)"


# The file types each format may be written as.
FILE_TYPES = {
    ListFormat.ODK: ("csv",),
    ListFormat.LIMESURVEY: ("csv",),
    ListFormat.KOBO: ("csv", "xlsx"),
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Our columns, in order: (name, what it holds). A name is an ODK property name and a Kobo
# column name as it stands, so it is ASCII, starts with a letter and holds no space.
IDENTIFYING_COLUMNS = (
    "codigo_participante",
    "nombres",
    "apellido_paterno",
    "apellido_materno",
    "correo",
    "telefono",
    "institucion",
    "region",
)
STRATUM_COLUMNS = ("estrato", "estrato_institucion", "estrato_sexo", "estrato_region")
_STRATUM_COLUMN_OF = dict(zip(STRATUM_DIMENSIONS, STRATUM_COLUMNS[1:], strict=True))
# LimeSurvey's attribute_N columns, in order, and the description to give each in the survey.
LIMESURVEY_ATTRIBUTES = (
    ("codigo_participante", "Código de participante"),
    ("telefono", "Teléfono"),
    ("institucion", "Institución"),
    ("region", "Región"),
    ("estrato", "Estrato"),
    ("estrato_institucion", "Estrato: institución"),
    ("estrato_sexo", "Estrato: sexo"),
    ("estrato_region", "Estrato: región"),
)
_PSEUDONYMOUS_ATTRIBUTES = {"estrato", "estrato_institucion", "estrato_sexo", "estrato_region"}
ODK_RESERVED = frozenset({"name", "label"})
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


class ContactListError(ValueError):
    """A list that cannot be written as asked; the message says why, in Spanish."""


class ContactListRefused(PermissionError):
    """The user may not export this list (not an analyst or administrator, or an analyst
    asking for names)."""


def odk_property_valid(name: str) -> bool:
    """An ODK entity property name: an XML name, not reserved, not starting with "__"."""
    return (
        bool(_XML_NAME.match(name))
        and not name.lower().startswith("xml")
        and not name.startswith("__")
        and name.lower() not in ODK_RESERVED
    )


@dataclass(frozen=True)
class ContactList:
    """A list's header and rows as the tool reads them, and what it left out."""

    wave: SurveyWave
    list_format: str
    identifying: bool
    header: list[str]
    rows: list[list[Any]]
    left_out: int  # members who withdrew consent, were cancelled or are minors since the draw

    def file_name(self, file_type: str) -> str:
        """A name the tools accept: ASCII, no spaces ("ola_2026_odk.csv")."""
        slug = slugify(self.wave.name).replace("-", "_") or f"ola_{self.wave.pk}"
        suffix = "" if self.identifying else "_seudonimizada"
        return f"{slug}_{self.list_format}{suffix}.{file_type}"

    def as_bytes(self, file_type: str) -> bytes:
        if file_type not in FILE_TYPES[ListFormat(self.list_format)]:
            raise ContactListError(
                f"La lista para {ListFormat(self.list_format).label} se escribe como "
                f"{' o '.join(FILE_TYPES[ListFormat(self.list_format)])}, no como {file_type}."
            )
        if file_type == "csv":
            return csv_bytes([self.header, *self.rows], bom=False)
        workbook = workbook_new()
        sheet_table(workbook, title="Contactos", header=self.header, rows=self.rows)
        return workbook_bytes(workbook)


def _reachable_members(wave: SurveyWave) -> tuple[list[WaveMember], int]:
    """The members to list today, and how many were left out (withdrawal, cancellation)."""
    members = list(
        wave.members.exclude(status=MemberStatus.WITHDRAWN)
        .select_related("person", "stratum")
        .order_by("draw_order")
    )
    consenting = persons_consenting([member.person_id for member in members])
    # A birth date corrected since the draw can show a minor: left out unless a guardian
    # consented to follow-up contact.
    minors = minors_without_follow_up_consent([member.person_id for member in members])
    kept = [
        member
        for member in members
        if member.person_id in consenting
        and member.person_id not in minors
        and member.person.status == PersonStatus.ACTIVE
    ]
    return kept, len(members) - len(kept)


def contact_list_build(wave: SurveyWave, *, list_format: str, identifying: bool) -> ContactList:
    """The list of the wave's members in `list_format`, identifying or pseudonymised."""
    if list_format not in ListFormat.values:
        raise ContactListError(
            f"'{list_format}' no es un formato; use {', '.join(ListFormat.values)}."
        )
    members, left_out = _reachable_members(wave)
    ids = [member.person_id for member in members]
    contacts = latest_contacts(ids) if identifying else {}
    posts = latest_posts(ids) if identifying else {}
    parts = stratum_parts(sorted({member.stratum.key for member in members}))
    records: list[dict[str, Any]] = []
    for member in members:
        person = member.person
        record: dict[str, Any] = {"token": member.token, "estrato": member.stratum.label}
        for dimension, column in _STRATUM_COLUMN_OF.items():
            record[column] = parts[member.stratum.key].get(dimension, "")
        if identifying:
            contact = contacts.get(person.pk)
            post = posts.get(person.pk)
            record.update(
                codigo_participante=person.code,
                nombres=person.given_names,
                apellido_paterno=person.paternal_surname,
                apellido_materno=person.maternal_surname,
                correo=contact.email if contact else "",
                telefono=contact.phone if contact else "",
                institucion=post.institution if post else "",
                region=post.region if post else "",
                label=person.full_name,
            )
        else:
            record["label"] = member.token
        records.append(record)
    header, rows = _layout(list_format, identifying, records)
    return ContactList(wave, list_format, identifying, header, rows, left_out)


def _layout(
    list_format: str, identifying: bool, records: Sequence[dict[str, Any]]
) -> tuple[list[str], list[list[Any]]]:
    ours = [*(IDENTIFYING_COLUMNS if identifying else ()), *STRATUM_COLUMNS]
    if list_format == ListFormat.ODK:
        header = ["label", "token", *ours]
        return header, [[record.get(column, "") for column in header] for record in records]
    if list_format == ListFormat.KOBO:
        header = ["token", *ours]  # pulldata's key first
        return header, [[record.get(column, "") for column in header] for record in records]
    attributes = [
        column
        for column, _ in LIMESURVEY_ATTRIBUTES
        if identifying or column in _PSEUDONYMOUS_ATTRIBUTES
    ]
    header = [
        "firstname",
        "lastname",
        "email",
        "token",
        *(f"attribute_{index}" for index in range(1, len(attributes) + 1)),
    ]
    rows = []
    for record in records:
        surnames = " ".join(
            part
            for part in (record.get("apellido_paterno"), record.get("apellido_materno"))
            if part
        )
        rows.append(
            [
                record.get("nombres", ""),
                surnames,
                record.get("correo", ""),
                record["token"],
                *(record.get(column, "") for column in attributes),
            ]
        )
    return header, rows


def limesurvey_attributes(*, identifying: bool) -> list[tuple[str, str]]:
    """("attribute_1", "Código de participante"), ...: the attributes to create in the survey."""
    chosen = [
        description
        for column, description in LIMESURVEY_ATTRIBUTES
        if identifying or column in _PSEUDONYMOUS_ATTRIBUTES
    ]
    return [(f"attribute_{index}", text) for index, text in enumerate(chosen, start=1)]


def contact_list_export(
    wave: SurveyWave,
    *,
    list_format: str,
    file_type: str,
    user: Any,
    identifying: bool | None = None,
    request: HttpRequest | None = None,
) -> tuple[ContactList, bytes]:
    """The list as `user` may have it, written to the audit log.

    `identifying` None: as much as the user may see (names for an administrator, the
    pseudonymised list for an analyst); True refuses anyone but an administrator.
    """
    if not can_use_waves(user):
        raise ContactListRefused("Solo analistas y administradores del registro exportan listas.")
    may_identify = can_identify(user)
    if identifying is None:
        identifying = may_identify
    if identifying and not may_identify:
        raise ContactListRefused(
            "Solo un administrador del registro exporta la lista con nombres y contactos; "
            "pida la lista seudonimizada."
        )
    if wave.status == WaveStatus.DRAFT:
        raise ContactListError(f"La ola «{wave.name}» aún no tiene muestra extraída.")
    contact_list = contact_list_build(wave, list_format=list_format, identifying=identifying)
    content = contact_list.as_bytes(file_type)
    audit_record(
        actor=user,
        actor_username=COMMAND_LINE,
        action=AuditAction.EXPORT,
        obj=wave,
        details={
            "export": "survey_contact_list",
            "format": list_format,
            "file": file_type,
            "identifying": identifying,
            "rows": len(contact_list.rows),
            "left_out_since_draw": contact_list.left_out,
        },
        request=request,
    )
    return contact_list, content

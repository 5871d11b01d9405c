"""The vocabularies' spellings in and out of the admin as spreadsheets (django-import-export).

Registry administrators keep, per region, institution and role, the spellings partners write
("Fiscalia Prov. Cusco" -> MP). With many new spellings after a back-fill they export the
list, fill it in a spreadsheet and import it back: import-export shows what each row will
create or change and waits for a confirmation. Each row then goes through `alias_map`, as a
spelling mapped in the admin's own form does: the spelling is folded, every enrollment that
carried it is linked to the entry, the change is audited.

What import-export does not do here: files are read as CSV only, bounded by the roster
import's size limit (import-export would hold an XLSX of any size in memory), and exports are
written by the registry's own CSV and XLSX writers, whose escaper keeps formulas inert (the
package's own only drops a leading "=").
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.conf import settings
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from courses.vocabulary_mapping import alias_map
from participants.names import fold
from participants.vocabularies import VOCABULARIES
from spreadsheets.csv_files import csv_lines
from spreadsheets.xlsx_files import sheet_table, workbook_bytes, workbook_new

SPELLING = "escritura"


class RegistryCSV(CSV):
    """CSV read within the roster import's size limit (UTF-8 with or without a byte-order
    mark) and written by the registry's writer (byte-order mark, cells escaped)."""

    def get_title(self) -> str:
        return "csv"

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> Any:
        size = len(in_stream)
        limit = settings.ROSTER_MAX_UPLOAD_BYTES
        if size > limit:
            raise ValueError(
                f"El archivo pesa {size:,} bytes; el máximo es {limit:,}.".replace(",", ".")
            )
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode("utf-8-sig")
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset: Any, **kwargs: Any) -> str:
        return "".join(csv_lines([dataset.headers, *dataset], bom=True))


class RegistryXLSX(XLSX):
    """XLSX written by the registry's writer (typed, escaped cells, a frozen header); not read:
    import-export would hold a workbook of any size in memory."""

    def get_title(self) -> str:
        return "xlsx"

    def can_import(self) -> bool:
        return False

    def export_data(self, dataset: Any, **kwargs: Any) -> bytes:
        workbook = workbook_new()
        sheet_table(
            workbook, title=dataset.title or "Escrituras", header=dataset.headers, rows=dataset
        )
        return workbook_bytes(workbook)


class _AliasResource(resources.ModelResource):
    """One row per spelling: the spelling and the entry it stands for."""

    vocabulary: ClassVar[str]
    entry_column: ClassVar[str]  # its heading in the file
    entry_field: ClassVar[str]  # what it names the entry by
    entry_label: ClassVar[str]  # what the entry is, in a message
    spelling = fields.Field(attribute="key", column_name=SPELLING)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # import-export numbers data rows from 1; the spreadsheet shows its heading as row 1.
        where = f"Fila {int(kwargs.get('row_number') or 0) + 1}"
        key = fold(row.get(SPELLING) or "")
        if not key:
            raise ValueError(f"{where}, columna «{SPELLING}»: está vacía.")
        row[SPELLING] = key
        named = (row.get(self.entry_column) or "").strip()
        model = VOCABULARIES[self.vocabulary].entry_model
        if not model.objects.filter(**{self.entry_field: named}).exists():
            raise ValueError(
                f"{where}, columna «{self.entry_column}»: «{named}» no es {self.entry_label} "
                "del registro."
            )

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if kwargs.get("dry_run"):
            return
        field = VOCABULARIES[self.vocabulary].field
        alias_map(
            vocabulary=self.vocabulary,
            text=instance.key,
            entry=getattr(instance, field),
            actor=kwargs.get("user"),
        )


def _alias_resource(vocabulary: str, *, column: str, by: str, label: str) -> type[_AliasResource]:
    """The resource of one vocabulary's spellings: the entry in `column`, named by its `by`."""
    vocab = VOCABULARIES[vocabulary]
    meta = type(
        "Meta",
        (),
        {
            "model": vocab.alias_model,
            "fields": ("spelling", vocab.field),
            "import_id_fields": ("spelling",),
            "skip_unchanged": True,
            "report_skipped": True,
        },
    )
    entry = fields.Field(
        attribute=vocab.field,
        column_name=column,
        widget=widgets.ForeignKeyWidget(vocab.entry_model, field=by),
    )
    namespace = {
        "vocabulary": vocabulary,
        "entry_column": column,
        "entry_field": by,
        "entry_label": label,
        vocab.field: entry,
        "Meta": meta,
        "__module__": __name__,
    }
    # The resources' metaclass collects the declared fields, as for a class statement.
    # import-export has no type hints, so its metaclass is known only as a `type`.
    metaclass: type[type] = type(_AliasResource)
    resource = metaclass(f"{vocab.alias_model.__name__}Resource", (_AliasResource,), namespace)
    return cast("type[_AliasResource]", resource)


RegionAliasResource = _alias_resource(
    "region", column="region", by="name", label="una región (su nombre)"
)
InstitutionAliasResource = _alias_resource(
    "institution", column="institucion", by="acronym", label="una institución (su sigla)"
)
RoleAliasResource = _alias_resource("role", column="cargo", by="name", label="un cargo (su nombre)")


# Alias model -> its resource, for the admin registered on the three models at once.
ALIAS_RESOURCES: dict[type[Any], type[_AliasResource]] = {
    resource._meta.model: resource
    for resource in (RegionAliasResource, InstitutionAliasResource, RoleAliasResource)
}

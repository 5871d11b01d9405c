"""The person: one record per real human, across every course they took."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from participants.codes import CODE_LENGTH, generate_code
from participants.documents import DocumentType, validate_document

models.CharField.register_lookup(Length)


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")
    # Missing stays a value of its own so that reports can count it.
    NOT_RECORDED = "U", _("Not recorded")


def sex_labels() -> dict[str, str]:
    """Each sex code and its label in the active language (Mujer, Hombre, Otro, No
    registrado): the one list every page, export and report shows."""
    return {str(value): str(label) for value, label in Sex.choices}


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged into another person")
    CANCELLED = "cancelled", _("Cancelled at the person's request")


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(status=PersonStatus.ACTIVE)


class Person(models.Model):
    code = models.CharField(
        _("participant code"),
        max_length=CODE_LENGTH,
        unique=True,
        editable=False,
        default=generate_code,
    )
    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    paternal_surname = models.CharField(_("paternal surname"), max_length=80)
    maternal_surname = models.CharField(_("maternal surname"), max_length=80, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.NOT_RECORDED)
    document_type = models.CharField(
        _("document type"), max_length=10, choices=DocumentType.choices, default=DocumentType.DNI
    )
    document_number = models.CharField(_("document number"), max_length=15, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    # Phonetic keys (participants.phonetic) stored so that linking a roster against a large
    # registry can fetch candidates through an index instead of reading every person.
    paternal_key = models.CharField(
        max_length=80,
        blank=True,
        db_index=True,
        editable=False,
        verbose_name=_("paternal surname key"),
    )
    maternal_key = models.CharField(
        max_length=80,
        blank=True,
        db_index=True,
        editable=False,
        verbose_name=_("maternal surname key"),
    )
    given_key = models.CharField(
        max_length=80, blank=True, db_index=True, editable=False, verbose_name=_("given names key")
    )

    status = models.CharField(
        _("status"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    # A merged person stays as a tombstone so that its code keeps resolving to the survivor.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["paternal_surname", "maternal_surname", "given_names"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"],
                condition=Q(status=PersonStatus.ACTIVE) & ~Q(document_number=""),
                name="person_one_active_per_document",
            ),
            models.CheckConstraint(
                condition=~Q(document_type=DocumentType.DNI)
                | Q(document_number="")
                | Q(document_number__length=8),
                name="person_dni_has_8_characters",
            ),
            models.CheckConstraint(
                condition=Q(code__length=CODE_LENGTH) & Q(code__startswith="PE-"),
                name="person_code_format",
            ),
            models.CheckConstraint(
                condition=(Q(status=PersonStatus.MERGED) & Q(merged_into__isnull=False))
                | (~Q(status=PersonStatus.MERGED) & Q(merged_into__isnull=True)),
                name="person_merged_has_survivor",
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="person_sex_valid"),
        ]
        indexes = [
            models.Index(fields=["document_number"], name="person_document_idx"),
            models.Index(fields=["status"], name="person_status_idx"),
            # Candidate lookup for roster linking: (surname key, first given name key) pairs.
            models.Index(fields=["paternal_key", "given_key"], name="person_paternal_given_idx"),
            models.Index(
                fields=["paternal_key", "maternal_key", "given_key"], name="person_name_keys_idx"
            ),
            # A row with swapped surnames whose maternal one is an initial meets a person by
            # (maternal surname key, given name key): without this index each such pair
            # intersected two single-column indexes of tens of thousands of entries.
            models.Index(fields=["maternal_key", "given_key"], name="person_maternal_given_idx"),
            models.Index(fields=["email"], name="person_email_idx"),
            models.Index(fields=["phone"], name="person_phone_idx"),
            # Registry-wide name frequencies (participants.matching.frequencies) count active
            # persons per key: with the status in the condition, an index-only scan.
            *(
                models.Index(
                    fields=[field],
                    condition=Q(status=PersonStatus.ACTIVE),
                    name=f"person_{field}_active_idx",
                )
                for field in ("paternal_key", "maternal_key", "given_key")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.full_name}"

    @property
    def full_name(self) -> str:
        surnames = " ".join(p for p in (self.paternal_surname, self.maternal_surname) if p)
        return f"{surnames}, {self.given_names}" if self.given_names else surnames

    def clean(self) -> None:
        validate_document(self.document_type, self.document_number)

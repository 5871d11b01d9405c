"""Identity records: every description of a person the registry ever received.

A person is a cluster of identity records, not the first row seen. Each roster row that was
linked to (or created) a person, each school registration and each administrator's
correction is kept here in the linkage engine's canonical schema, so that what a later
roster taught (a DNI, a second e-mail, another spelling) helps every later match. The
person's displayed values follow a survivorship rule over these records
(`participants.identity.survivorship`).

Records are never deleted. A merge leaves them on the merged person (whose tombstone points
to the survivor), so undoing a merge needs no bookkeeping here; a split moves them to the
new person and is undone by a merge.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RecordSource(models.TextChoices):
    ROSTER_ROW = "roster", _("Roster row")
    REGISTRATION = "registration", _("School registration")
    CORRECTION = "correction", _("Administrator's correction")


class IdentityRecord(models.Model):
    person = models.ForeignKey(
        "participants.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="identity_records",
    )
    source = models.CharField(_("source"), max_length=12, choices=RecordSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # As received after normalisation (display form; the engine folds them itself).
    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    paternal_surname = models.CharField(_("paternal surname"), max_length=80, blank=True)
    maternal_surname = models.CharField(_("maternal surname"), max_length=80, blank=True)
    # A valid DNI (eight digits, not a placeholder) or ''; other documents beside it.
    dni = models.CharField(_("DNI"), max_length=8, blank=True)
    document_type = models.CharField(_("document type"), max_length=10, blank=True)
    document_number = models.CharField(_("document number"), max_length=15, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.CharField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    # On an administrator's correction of the DNI: the DNI it replaces. That value was a
    # mistake, not a second document, so the person's other records that carry it no longer
    # count as evidence of two persons (review.splits); the records themselves stay as they were.
    # db_default too: rows written by raw SQL or COPY (bulk loads, benchmarks) get it as well.
    replaces_dni = models.CharField(
        _("DNI it corrects"), max_length=8, blank=True, default="", db_default=""
    )

    # Blocking keys (participants.phonetic), indexed for candidate lookup at any size.
    paternal_key = models.CharField(
        max_length=80, blank=True, editable=False, verbose_name=_("paternal surname key")
    )
    maternal_key = models.CharField(
        max_length=80, blank=True, editable=False, verbose_name=_("maternal surname key")
    )
    given_key = models.CharField(
        max_length=80, blank=True, editable=False, verbose_name=_("given names key")
    )

    class Meta:
        verbose_name = _("identity record")
        verbose_name_plural = _("identity records")
        ordering = ["person", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dni="") | Q(dni__length=8), name="identity_dni_format"
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["", "F", "M", "X"]), name="identity_sex_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["dni"], name="identity_dni_idx"),
            models.Index(fields=["document_number"], name="identity_document_idx"),
            models.Index(fields=["email"], name="identity_email_idx"),
            models.Index(fields=["phone"], name="identity_phone_idx"),
            models.Index(fields=["paternal_key", "given_key"], name="identity_pat_given_idx"),
            models.Index(
                fields=["paternal_key", "maternal_key", "given_key"], name="identity_names_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.pk} ({self.person_id})"

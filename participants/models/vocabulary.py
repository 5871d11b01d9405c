"""Controlled vocabularies (region, institution, role) and the spellings that map to them.

Partners write the same body many ways ("MP", "Fiscalía", "MINISTERIO PUBLICO"). Each
vocabulary has an alias table keyed on the folded spelling (participants.names.fold). A value
with no alias is kept as written on the enrollment and listed for an administrator to map;
mapping it later updates the enrollments without re-importing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    # INEI's ubigeo department code ("15" Lima); Lima Metropolitana and Lima Provincias share
    # department 15 so they carry their own codes.
    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    JUSTICE = "justice", _("Justice and prosecution")
    POLICE = "police", _("Police and interior")
    PROTECTION = "protection", _("Protection and social services")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    LABOUR = "labour", _("Labour")
    FOREIGN = "foreign", _("Foreign affairs")
    REGIONAL = "regional", _("Regional and local government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OTHER = "other", _("Other")


class Institution(models.Model):
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["acronym"]

    def __str__(self) -> str:
        return f"{self.acronym} - {self.name}"


class Role(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Alias(models.Model):
    """One spelling -> one vocabulary entry. `key` is the folded spelling."""

    key = models.CharField(_("spelling (folded)"), max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        abstract = True
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class RegionAlias(Alias):
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("region")
    )

    class Meta(Alias.Meta):
        verbose_name = _("region alias")
        verbose_name_plural = _("region aliases")


class InstitutionAlias(Alias):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("institution")
    )

    class Meta(Alias.Meta):
        verbose_name = _("institution alias")
        verbose_name_plural = _("institution aliases")


class RoleAlias(Alias):
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("role")
    )

    class Meta(Alias.Meta):
        verbose_name = _("role alias")
        verbose_name_plural = _("role aliases")

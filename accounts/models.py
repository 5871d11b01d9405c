"""Who belongs to which training school, and the consents recorded at registration."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolMembership(models.Model):
    """Ties a "Training school staff" user to the one school whose data they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="school_membership",
    )
    school = models.ForeignKey(
        "courses.School",
        verbose_name=_("school or partner"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("school membership")
        verbose_name_plural = _("school memberships")
        ordering = ["school", "user"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.school}"


class Consent(models.Model):
    """Consent to data processing (Ley 29733, art. 13), as given at a registration.

    The text itself is versioned in `accounts.consent.CONSENT_TEXTS`; the row keeps the
    version and a hash of the exact text shown so a later edit of the wording cannot change
    what a person is recorded as having agreed to.
    """

    person = models.ForeignKey(
        "participants.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    cohort = models.ForeignKey(
        "courses.Cohort",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
    )
    school = models.ForeignKey(
        "courses.School",
        verbose_name=_("school or partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
    )
    given_at = models.DateTimeField(_("given at"))
    text_version = models.CharField(_("text version"), max_length=20)
    text_sha256 = models.CharField(_("SHA-256 of the text shown"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents_recorded",
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.person.code} {self.text_version} {self.given_at:%Y-%m-%d}"


class ContactConsentSource(models.TextChoices):
    SCHOOL_FORM = "school_form", _("school registration form")
    ROSTER = "roster", _("imported roster")
    ADMIN = "admin", _("registry administrator")
    DATA_REQUEST = "data_request", _("the person's request")


class ContactConsent(models.Model):
    """Consent to be contacted for follow-up surveys, or its withdrawal.

    Append-only: each statement is a row, and a person's current answer is their latest
    (over the persons merged into them too). A withdrawal is a row with `granted` false, so
    the history of what was agreed, when and how stays evidence. The text is versioned in
    `accounts.consent.CONTACT_CONSENT_TEXTS`; the hash pins the exact words shown.
    """

    person = models.ForeignKey(
        "participants.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="contact_consents",
    )
    granted = models.BooleanField(_("agrees to be contacted"))
    given_at = models.DateTimeField(_("stated at"))
    source = models.CharField(_("source"), max_length=12, choices=ContactConsentSource.choices)
    text_version = models.CharField(_("text version"), max_length=20, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the text shown"), max_length=64, blank=True)
    # The roster row that stated it, when it came from an import.
    source_record = models.ForeignKey(
        "courses.SourceRecord",
        verbose_name=_("roster row"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_consents",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_consents_recorded",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent to follow-up contact")
        verbose_name_plural = _("consents to follow-up contact")
        ordering = ["person", "-given_at", "-id"]
        indexes = [models.Index(fields=["person", "-given_at"], name="contact_consent_latest_idx")]

    def __str__(self) -> str:
        state = "sí" if self.granted else "no"
        return f"{self.person_id} {state} {self.given_at:%Y-%m-%d}"


class GuardianRelationship(models.TextChoices):
    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    GUARDIAN = "guardian", _("guardian or legal representative")
    OTHER = "other", _("other")


class GuardianConsentSource(models.TextChoices):
    ROSTER = "roster", _("imported roster")
    SCHOOL_FORM = "school_form", _("school registration form")
    ADMIN = "admin", _("registry administrator")


class GuardianConsent(models.Model):
    """A parent's or guardian's consent to process a minor's data (Ley 29733's regulation
    asks for it below 14), and whether it extends to follow-up contact.

    Append-only evidence, like the other consents: the text is versioned in
    `accounts.consent.GUARDIAN_CONSENT_TEXTS` and the hash pins the words shown. It names
    the guardian, who consented; the person is the minor.
    """

    person = models.ForeignKey(
        "participants.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="guardian_consents",
    )
    # The training it was given for; none when it was recorded for the person in general.
    cohort = models.ForeignKey(
        "courses.Cohort",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guardian_consents",
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=200)
    guardian_relationship = models.CharField(
        _("relationship to the minor"), max_length=10, choices=GuardianRelationship.choices
    )
    guardian_document = models.CharField(
        _("guardian's identity document"), max_length=20, blank=True
    )
    given_at = models.DateTimeField(_("given at"))
    text_version = models.CharField(_("text version"), max_length=20)
    text_sha256 = models.CharField(_("SHA-256 of the text shown"), max_length=64)
    allows_follow_up = models.BooleanField(_("allows follow-up contact"), default=False)
    source = models.CharField(_("source"), max_length=12, choices=GuardianConsentSource.choices)
    source_record = models.ForeignKey(
        "courses.SourceRecord",
        verbose_name=_("roster row"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guardian_consents",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guardian_consents_recorded",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")
        ordering = ["person", "-given_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.guardian_relationship} {self.given_at:%Y-%m-%d}"

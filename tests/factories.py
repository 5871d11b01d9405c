"""factory_boy factories shared by the whole suite (synthetic data only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model

from assessments.models import Phase, Score
from courses.models import Cohort, Course, Enrollment, School, SourceRecord
from participants.models import IdentityRecord, Person, Sex
from participants.services import person_keys


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery-staple")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_names = factory.Faker("first_name", locale="es")
    paternal_surname = factory.Faker("last_name", locale="es")
    maternal_surname = factory.Faker("last_name", locale="es")
    sex = Sex.NOT_RECORDED
    # Far from the 4000xxxx numbers tests write by hand, so the two never collide; 1237 apart
    # (a prime, coprime with 10), so that no two differ by one digit or two swapped digits,
    # which the engine rightly takes as a typo of one DNI (real DNIs are rarely that close).
    document_number = factory.Sequence(lambda n: f"{60000000 + n * 1237:08d}")

    @classmethod
    def _create(cls, model_class: type[Person], *args: object, **kwargs: object) -> Person:
        person = model_class(*args, **kwargs)
        person_keys(person)
        person.save()
        return person


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"SCH{n}")
    name = factory.Sequence(lambda n: f"Escuela de prueba {n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"Curso de prueba {n}")
    component = "prosecution"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    course = factory.SubFactory(CourseFactory)
    label = factory.Sequence(lambda n: f"2024-{n:03d}")
    school = factory.SubFactory(SchoolFactory)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    person = factory.SubFactory(PersonFactory)
    cohort = factory.SubFactory(CohortFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    enrollment = factory.SubFactory(EnrollmentFactory)
    phase = Phase.PRE
    raw_score = Decimal("12")
    scale_max = Decimal("20")
    percent = Decimal("0")  # recomputed on save from raw_score and scale_max


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.ImportBatch"

    cohort = factory.SubFactory(CohortFactory)
    file_name = factory.Sequence(lambda n: f"planilla_{n}.xlsx")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = "committed"


class SourceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.SourceRecord"

    batch = factory.SubFactory(ImportBatchFactory)
    row_number = factory.Sequence(lambda n: n + 2)
    raw = factory.LazyAttribute(
        lambda r: {"APELLIDOS": r.person.paternal_surname if r.person else "", "DNI": ""}
    )
    row_hash = factory.Sequence(lambda n: f"{n:064x}")
    person = factory.SubFactory(PersonFactory)
    enrollment = None
    outcome = "new"


def identity_record_of_row(*, row: SourceRecord, **fields: Any) -> IdentityRecord:
    """An identity record made by a roster row (the row names the record it made)."""
    record = IdentityRecord.objects.create(**fields)
    row.identity_record = record
    row.save(update_fields=["identity_record"])
    return record


class DuplicateCandidateFactory(factory.django.DjangoModelFactory):
    """A pending pair; person_a is created first, so it has the lower id as the model needs.

    The persons have no document: two different DNIs would make them two people outright.
    """

    class Meta:
        model = "participants.DuplicateCandidate"

    person_a = factory.SubFactory(PersonFactory, document_number="")
    person_b = factory.SubFactory(PersonFactory, document_number="")
    score = 0.8
    reasons = factory.LazyFunction(
        lambda: ["apellido paterno coincide", "nombres parecidos (error de tipeo)"]
    )

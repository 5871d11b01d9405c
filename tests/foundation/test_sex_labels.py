"""One list of sex labels: the model's, on the school form, the review page and the reports."""

from __future__ import annotations

import pytest
from django.utils import translation

from intake.registration.forms import SEX_CHOICES
from participants.models import Sex, sex_labels
from review.comparison import display_value
from tests.factories import PersonFactory


def test_the_form_offers_the_labels_every_page_shows() -> None:
    with translation.override("es"):
        offered = {str(value): str(label) for value, label in SEX_CHOICES if value}
        for value in (Sex.FEMALE, Sex.MALE, Sex.OTHER):
            assert offered[value] == str(Sex(value).label) == sex_labels()[value]
    assert offered[Sex.FEMALE] == "Mujer"


@pytest.mark.django_db
def test_the_review_comparison_shows_the_same_label() -> None:
    with translation.override("es"):
        assert display_value(PersonFactory(sex=Sex.FEMALE), "sex") == "Mujer"
        assert display_value(PersonFactory(sex=Sex.MALE), "sex") == sex_labels()["M"]

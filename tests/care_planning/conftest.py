"""Shared fixtures of the care planning tests (written by the PLANS work; others use tests/conftest.py).

``plans_home(world)`` is a context manager acting for the world's home as the system (audit context);
``assess(world, tool, answers)`` records an assessment through the assessments service;
``WATERLOW_17`` (high risk), ``WATERLOW_22`` (very high), ``WATERLOW_10`` (at risk) and ``MUST_3``
(high risk) are answers worked out by hand in tests/assessments (the card's and BAPEN's examples).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.utils import timezone

from writecarenotes.assessments.services import record_assessment
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

_WATERLOW_BASE = {
    "build": "average",
    "skin": ["healthy"],
    "sex": "male",
    "age": "14_49",
    "mst_weight_loss": "no",
    "mst_eating_poorly": "no",
    "continence": "complete",
    "mobility": "fully",
    "neurological_deficit": "none",
    "surgery_orthopaedic": "no",
    "surgery_table_time": "none",
}
#: woman (2) aged 86 (5), below average build (3), dry and tissue-paper skin (2), eating poorly (1),
#: urinary incontinence (1), restricted mobility (3) = 17: high risk (test_tools_waterlow)
WATERLOW_17 = {
    **_WATERLOW_BASE,
    "sex": "female",
    "age": "81_plus",
    "build": "below_average",
    "skin": ["dry", "tissue_paper"],
    "mst_eating_poorly": "yes",
    "continence": "urine",
    "mobility": "restricted",
}
#: the same with peripheral vascular disease (5) = 22: very high risk
WATERLOW_22 = {**WATERLOW_17, "tissue_malnutrition": ["pvd"]}
#: male (1), 81+ (5), bedbound (4) = 10: at risk (the band boundary)
WATERLOW_10 = {**_WATERLOW_BASE, "age": "81_plus", "mobility": "bedbound"}
#: BMI 18.4 (50.0 kg, 1.65 m: 2), 9.1% loss (1), not acutely ill: MUST 3, high risk (test_tools_must)
MUST_3 = {"weight_kg": "50.0", "height_m": "1.65", "previous_weight_kg": "55.0", "acute_disease": "no"}


@contextlib.contextmanager
def plans_home(world):
    with acting_as_system("test"), acting_for([world.home]):
        yield


def assess(world, tool: str, answers: dict, *, at=None, resident=None, user=None):
    resident = resident or world.resident
    with acting_as_system("test"), acting_for([resident.home_id]):
        return record_assessment(
            resident.pk, tool, dict(answers), at or timezone.now() - timedelta(minutes=5), user or world.users["nurse"]
        )


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


@pytest.fixture
def carer(world, client_for):
    return client_for(world.users["carer"])

"""The controlled vocabulary of chain events (documented in docs/chain-events.md).

Every KPI is computed from these events, so an activity name is a contract: add new
ones, never rename or reuse one.
"""

from __future__ import annotations

from django.db import models


class Activity(models.TextChoices):
    ORGANISATION_CREATED = "organisation.created", "An organisation joined the chain"
    PROFESSIONAL_CREATED = "professional.created", "A professional account was created"
    PERSON_REGISTERED = "person.registered", "A person was entered in the registry for the first time"
    PERSON_REREGISTERED = "person.reregistered", "A known person was entered again by another professional"
    CORRECTION_PROPOSED = "correction.proposed", "Re-entered base data differed: a correction was proposed"
    CORRECTION_DECIDED = "correction.decided", "A correction proposal was accepted or rejected"
    HOUSEHOLD_REGISTERED = "household.registered", "A household was entered"
    EMERGENCY_ACCESS = "access.emergency", "A professional used break-the-glass access"

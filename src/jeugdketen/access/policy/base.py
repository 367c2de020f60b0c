"""Who asks and what the policy answers: the actor, the decision, and the policy's constants.

Pure: no database, no other app's code (the model types are named for type checking only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# The actions, data kinds and grounds are the one vocabulary's (with their labels and
# family texts): the policy answers in no code that has no label.
from jeugdketen.core.vocabulary import Data, Role

if TYPE_CHECKING:
    from jeugdketen.registry.models import Person, Professional

MIN_EMERGENCY_REASON = 20
PARENT_SEES_UNTIL_AGE = 16

CARE_ROLES = (Role.PROFESSIONAL.value, Role.COORDINATOR.value)
ADMIN_ROLES = (Role.PLATFORM_ADMIN.value, Role.FUNCTIONAL_ADMIN.value)
PRIVILEGED_ROLES = {Role.PRIVACY_OFFICER.value, Role.FUNCTIONAL_ADMIN.value,
                    Role.PLATFORM_ADMIN.value}

# One family, one plan (issue 4): the data of a family's plan.
PLAN_DATA = (Data.PLAN, Data.TEAM, Data.APPROVAL, Data.COMMENT, Data.ANALYSIS, Data.EVALUATION)
# Which consent category opens which kind of plan data for a care-team member.
CATEGORY_OF = {Data.PLAN: "plan", Data.COMMENT: "plan", Data.APPROVAL: "plan",
               Data.TEAM: "plan", Data.EVALUATION: "evaluations", Data.ANALYSIS: "analysis",
               Data.BASE_DATA: "base_data", Data.HOUSEHOLD: "base_data"}
# Household members who co-own the family's plan: the BRP's parents, custody holders and
# children (a housemate such as a lodger does not).
FAMILY_RELATIONS = ("parent", "carer", "child")

# Which kind of organisation can hold which statutory ground (a school cannot).
LEGAL_BASIS_HOLDERS = {
    "child_protection": {"certified_institution"},
    "youth_probation": {"certified_institution"},
    "veilig_thuis": {"veilig_thuis"},
    "court_order": {"certified_institution", "veilig_thuis", "youth_care_provider"},
}

# The front door (issue 11): the role, and the organisations of a municipality whose
# professionals can hold it (the municipality itself and its neighbourhood teams).
FRONT_DOOR_ROLE = Role.FRONT_DOOR.value
FRONT_DOOR_KINDS = ("municipality", "neighbourhood_team")

# Organisations that hold statutory grounds of their own: only the platform administrator
# sets one up or changes an organisation's kind.
STATUTORY_KINDS = LEGAL_BASIS_HOLDERS["child_protection"] | LEGAL_BASIS_HOLDERS["veilig_thuis"]


@dataclass(frozen=True)
class AccessPoint:
    ip: str = ""
    user_agent: str = ""
    channel: str = "system"  # session, api-token, command, system
    token_id: int | None = None


@dataclass(frozen=True)
class Actor:
    """Who asks: a professional, a citizen, or the platform itself (commands, retention)."""

    user: Any = None
    professional: Professional | None = None
    person: Person | None = None  # a citizen's own person
    access_point: AccessPoint = field(default_factory=AccessPoint)
    on_behalf_of: str = ""
    emergency_reason: str = ""
    # The operator at the server's command line (createadmin, demo): a platform admin.
    operator: bool = False

    @property
    def roles(self) -> tuple[str, ...]:
        if self.operator:
            return ("platform_admin",)
        if self.professional is not None:
            return tuple(self.professional.roles)
        if getattr(self.user, "is_superuser", False):
            return ("platform_admin",)  # created with `jeugdketen createadmin`
        if self.person is not None:
            return ("citizen",)
        return ()

    @property
    def username(self) -> str:
        return getattr(self.user, "username", "") or ("operator" if self.operator else "")

    def with_emergency(self, reason: str) -> Actor:
        return Actor(self.user, self.professional, self.person, self.access_point,
                     self.on_behalf_of, reason.strip(), self.operator)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    ground: str = ""
    role: str = ""
    emergency: bool = False
    reason: str = ""

    @classmethod
    def deny(cls, why: str) -> Decision:
        return cls(False, reason=why)


def is_anonymous(actor: Actor) -> bool:
    """Someone on the website without logging in (the public form): no user, no
    professional, no person, not the operator, channel `session`."""
    return (not actor.operator and actor.professional is None and actor.person is None
            and not getattr(actor.user, "is_authenticated", False)
            and actor.access_point.channel == "session")


def public_actor(ip: str = "", user_agent: str = "") -> Actor:
    """The actor of an unauthenticated request (the public care-report form and its API)."""
    return Actor(access_point=AccessPoint(ip=ip, user_agent=user_agent, channel="session"))


def first_role(actor: Actor, roles: tuple[str, ...]) -> str:
    """The actor's first role among `roles` ('' for none)."""
    return next((r for r in actor.roles if r in roles), "")

"""The one vocabulary of the codes the platform stores, with what people read for them.

The access log, the API and the JSON downloads keep the codes (`read`, `base_data`,
`consent`, ...). Every page and PDF shows, instead:

- `label`: the Dutch label (English through gettext), for professionals and officers;
- `family`: a plain-language text for the family reading their own access overview;
- for grounds also `viewer`: the ground said to the professional who is looking.

The access policy (`access/policy.py`) takes its actions, data kinds and grounds from
here, so a code it can answer with always has a label (tests/test_vocabulary.py). This
module imports nothing of the platform: the policy, the models and the web import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "read", _("Bekeken")
    CREATE = "create", _("Vastgelegd")
    UPDATE = "update", _("Gewijzigd")
    DELETE = "delete", _("Verwijderd")
    EXPORT = "export", _("Geëxporteerd")
    PRINT = "print", _("Afgedrukt")

    @property
    def family(self) -> Promise:
        return ACTION_FAMILY[self]


class Data(models.TextChoices):
    """What kind of record the action touches."""

    BASE_DATA = "base_data", _("Basisgegevens (naam, geboortedatum, adres)")
    HOUSEHOLD = "household", _("Huishouden")
    ACCESS_LOG = "access_log", _("Toegangsoverzicht")
    BREAK_GLASS = "break_glass", _("Noodtoegang")
    CORRECTION = "correction", _("Correctievoorstel")
    ORGANISATION = "organisation", _("Organisatie")
    PROFESSIONAL = "professional", _("Medewerker")
    SIGNAL = "signal", _("Signaal in de verwijsindex")
    MATCH = "match", _("Match in de verwijsindex")
    # The municipality's appointment of a coordinator for an overdue match (the involved
    # agree among themselves; none of them appoints).
    APPOINTMENT = "appointment", _("Aanwijzing van een regisseur door de gemeente")
    GUIDE_SESSION = "guide_session", _("Afweging met de Signaalgids")
    # A version of a decision aid (the YAML a functional administrator uploads): no
    # personal data.
    DECISION_AID = "decision_aid", _("Versie van een beslishulp")
    RIGHTS_REQUEST = "rights_request", _("Verzoek inzage, correctie, kopie of bezwaar")
    PLAN = "plan", _("Gezinsplan")
    TEAM = "team", _("Team van het gezinsplan")
    APPROVAL = "approval", _("Goedkeuring van het gezinsplan")
    COMMENT = "comment", _("Reactie op het gezinsplan")
    ANALYSIS = "analysis", _("Analyse van het gezin")
    EVALUATION = "evaluation", _("Evaluatie van het gezinsplan")
    CONSENT = "consent", _("Toestemming")
    LEGAL_BASIS = "legal_basis", _("Wettelijke grondslag")
    # The front door (issue 11): a care report with its triage and outcome; the joint
    # intake meeting with its invitations; and the front door's settings (intake capacity
    # and norms: no personal data).
    CARE_REPORT = "care_report", _("Zorgmelding")
    INTAKE = "intake", _("Intakegesprek")
    INTAKE_SETTINGS = "intake_settings", _("Capaciteit en normen van de voordeur")
    # Insight (issue 12): figures about the chain per area, never a person; and the
    # municipality's publication settings (threshold, follow-up period).
    INSIGHT = "insight", _("Inzicht in de keten (cijfers zonder personen)")
    INSIGHT_SETTINGS = "insight_settings", _("Publicatie-instellingen van het inzicht")
    # Steering, time and satisfaction (issue 13): a professional's own weekly time answer;
    # the yearly job-satisfaction survey (the own response; its figures per team without
    # persons); the neighbourhoods a team works in.
    TIME_ANSWER = "time_answer", _("Tijdsbesteding van een week (eigen antwoord)")
    SURVEY = "survey", _("Werkplezieronderzoek (anoniem)")
    TEAM_AREAS = "team_areas", _("Werkgebied van een team")
    # Steering (issue 13, steer-sim): what-if simulation runs of the front door (aggregates).
    SIMULATION = "simulation", _("Simulatie van de voordeur (cijfers zonder personen)")
    # Steering (issue 13, steer-board): the chain board's figures per municipality (no
    # person), its improvement actions and the minutes of its meetings.
    STEERING_BOARD = "steering_board", _("Ketenbord (cijfers zonder personen)")
    STEERING_ACTION = "steering_action", _("Verbeteractie van het ketenbord")
    STEERING_MINUTES = "steering_minutes", _("Verslag van het ketenoverleg")

    @property
    def family(self) -> Promise:
        return DATA_FAMILY[self]


class Ground(models.TextChoices):
    REGISTRATION = "registration", _(
        "Inschrijving: deze medewerker heeft de persoon zelf vastgelegd")
    BRP = "brp", _("Bijhouden van de gegevens uit de BRP")
    EMERGENCY = "emergency", _("Noodtoegang, met een geschreven reden")
    SELF = "self", _("Eigen gegevens")
    PARENT = "parent", _("Ouder of verzorger van een kind onder 16 jaar")
    PRIVACY_SUPERVISION = "privacy_supervision", _("Toezicht door de privacyfunctionaris")
    DATA_MANAGEMENT = "data_management", _("Gegevensbeheer: een correctie beoordelen")
    ADMINISTRATION = "administration", _("Beheer van het platform")
    OWN_ORGANISATION = "own_organisation", _(
        "Eigen organisatie: een signaal of afweging van de eigen organisatie")
    MATCH = "match", _("Match in de verwijsindex: alleen contactgegevens")
    MUNICIPAL_OVERSIGHT = "municipal_oversight", _(
        "Toezicht van de gemeente op een match zonder regievoerder")
    RETENTION = "retention", _("Bewaartermijn: de wet schrijft beëindigen of vernietigen voor")
    PLAN_COORDINATOR = "plan_coordinator", _("Regisseur van het gezinsplan")
    CONSENT = "consent", _("Toestemming van het gezin voor het gezinsplan")
    LEGAL_BASIS = "legal_basis", _("Wettelijke grondslag (zoals een beschermingsmaatregel)")
    FAMILY = "family", _("Lid van het gezin vanaf 16 jaar")
    # The front door (issue 11).
    FRONT_DOOR = "front_door", _("Voordeur: het team dat zorgmeldingen van de gemeente behandelt")
    INTAKE_INVITATION = "intake_invitation", _(
        "Uitgenodigd voor het intakegesprek (de melding zelf alleen met toestemming)")
    REPORTER = "reporter", _("Melder: legt de zorgmelding vast en ziet daarna alleen de stand")
    PUBLIC_REPORT = "public_report", _("Zorgmelding via het openbare formulier")
    # Insight (issue 12): figures without persons, of the municipality's own areas.
    INSIGHT = "insight", _("Inzicht: cijfers zonder personen over de eigen gemeente")

    @property
    def family(self) -> Promise:
        return GROUND_FAMILY[self]

    @property
    def viewer(self) -> Promise:
        return GROUND_VIEWER[self]


class Role(models.TextChoices):
    """Who acted, as the access log stores it (a professional's roles, or `citizen`)."""

    PROFESSIONAL = "professional", _("Professional")
    COORDINATOR = "coordinator", _("Regisseur")
    PRIVACY_OFFICER = "privacy_officer", _("Privacyfunctionaris")
    MUNICIPAL_ANALYST = "municipal_analyst", _("Gemeentelijk analist")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functioneel beheerder")
    PLATFORM_ADMIN = "platform_admin", _("Platformbeheerder")
    FRONT_DOOR = "front_door", _("Voordeur")
    CITIZEN = "citizen", _("Burger")
    # Someone on the website without logging in: only the public care-report form.
    ANONYMOUS = "anonymous", _("Iemand zonder inlog")

    @property
    def family(self) -> Promise:
        return ROLE_FAMILY[self]


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Toegestaan")
    DENIED = "denied", _("Geweigerd")
    # Allowed by the access rules, but not carried out: a rule of the platform refused it.
    REFUSED = "refused", _("Toegestaan, maar niet uitgevoerd")

    @property
    def family(self) -> Promise:
        return OUTCOME_FAMILY[self]


class Channel(models.TextChoices):
    SESSION = "session", _("Website")
    API_TOKEN = "api-token", _("Koppeling (API)")
    COMMAND = "command", _("Opdracht op de server")
    SYSTEM = "system", _("Het platform zelf")

    @property
    def family(self) -> Promise:
        return CHANNEL_FAMILY[self]


class Sex(models.TextChoices):
    # The BRP codes.
    M = "M", _("Man")
    V = "V", _("Vrouw")
    O = "O", _("Onbekend")  # noqa: E741


class Relation(models.TextChoices):
    PARENT = "parent", _("Ouder")
    CARER = "carer", _("Gezaghebbende")
    CHILD = "child", _("Kind")
    HOUSEMATE = "housemate", _("Huisgenoot")


class Field(models.TextChoices):
    """The base-data fields a correction proposal can change."""

    BSN = "bsn", _("BSN")
    GIVEN_NAMES = "given_names", _("Voornamen")
    FAMILY_NAME = "family_name", _("Achternaam")
    BIRTH_DATE = "birth_date", _("Geboortedatum")
    SEX = "sex", _("Geslacht")
    POSTCODE = "postcode", _("Postcode")
    HOUSE_NUMBER = "house_number", _("Huisnummer")


# --- what the family reads -------------------------------------------------------------

ACTION_FAMILY = {
    Action.READ: _("Heeft de gegevens bekeken"),
    Action.CREATE: _("Heeft iets vastgelegd"),
    Action.UPDATE: _("Heeft iets gewijzigd"),
    Action.DELETE: _("Heeft iets verwijderd"),
    Action.EXPORT: _("Heeft de gegevens gedownload"),
    Action.PRINT: _("Heeft de gegevens afgedrukt"),
}

DATA_FAMILY = {
    Data.BASE_DATA: _("naam, geboortedatum en adres"),
    Data.HOUSEHOLD: _("wie er samen in één huis wonen"),
    Data.ACCESS_LOG: _("het overzicht van wie de gegevens zag"),
    Data.BREAK_GLASS: _("noodtoegang tot de gegevens"),
    Data.CORRECTION: _("een voorstel om de gegevens te verbeteren"),
    Data.ORGANISATION: _("gegevens van een organisatie"),
    Data.PROFESSIONAL: _("gegevens van een medewerker"),
    Data.SIGNAL: _("een melding in de verwijsindex"),
    Data.MATCH: _("een contact tussen hulpverleners via de verwijsindex"),
    Data.APPOINTMENT: _("de keuze van de gemeente wie de hulp regelt"),
    Data.GUIDE_SESSION: _("een afweging van een hulpverlener"),
    Data.DECISION_AID: _("een versie van een beslishulp (zonder persoonsgegevens)"),
    Data.RIGHTS_REQUEST: _("een verzoek om inzage, verbetering, een kopie of bezwaar"),
    Data.PLAN: _("het gezinsplan"),
    Data.TEAM: _("wie er meehelpen aan het gezinsplan"),
    Data.APPROVAL: _("de goedkeuring van het gezinsplan"),
    Data.COMMENT: _("een reactie op het gezinsplan"),
    Data.ANALYSIS: _("hoe het met het gezin gaat (de analyse)"),
    Data.EVALUATION: _("hoe het gaat met de doelen (de evaluatie)"),
    Data.CONSENT: _("de toestemming van het gezin"),
    Data.LEGAL_BASIS: _("een wettelijke grondslag, zoals een beschermingsmaatregel"),
    Data.CARE_REPORT: _("een zorgmelding: de vraag om hulp en wat ermee gebeurt"),
    Data.INTAKE: _("het gesprek met het gezin en de hulpverleners (de intake)"),
    Data.INTAKE_SETTINGS: _("hoeveel intakes er kunnen en hoe snel (geen persoonsgegevens)"),
    Data.INSIGHT: _("cijfers over de hulp in een gemeente of wijk (geen persoonsgegevens)"),
    Data.INSIGHT_SETTINGS: _("hoe de gemeente cijfers publiceert (geen persoonsgegevens)"),
    Data.TIME_ANSWER: _("hoeveel uur een medewerker aan hulp en aan verantwoording besteedde"),
    Data.SURVEY: _("het werkplezieronderzoek onder medewerkers (anoniem)"),
    Data.TEAM_AREAS: _("in welke buurten een team werkt (geen persoonsgegevens)"),
    # steer-sim
    Data.SIMULATION: _("een wat-als-berekening van de wachttijden (geen persoonsgegevens)"),
    Data.STEERING_BOARD: _("cijfers van het ketenoverleg van een gemeente (geen persoonsgegevens)"),
    Data.STEERING_ACTION: _("een verbeteractie van het ketenoverleg (geen persoonsgegevens)"),
    Data.STEERING_MINUTES: _("het verslag van een ketenoverleg (geen persoonsgegevens)"),
}

GROUND_FAMILY = {
    Ground.REGISTRATION: _("Deze organisatie heeft de persoon zelf ingeschreven."),
    Ground.BRP: _("De gegevens uit de Basisregistratie Personen (BRP) worden bijgehouden."),
    Ground.EMERGENCY: _("Noodtoegang: er was haast, en de reden is opgeschreven. "
                        "De privacyfunctionaris controleert dit."),
    Ground.SELF: _("Iemand bekeek de eigen gegevens."),
    Ground.PARENT: _("U bent ouder of verzorger van een kind jonger dan 16 jaar."),
    Ground.PRIVACY_SUPERVISION: _("De privacyfunctionaris controleert wie de gegevens zag."),
    Ground.DATA_MANAGEMENT: _("Een beheerder beoordeelt een verbetering van de gegevens."),
    Ground.ADMINISTRATION: _("Een beheerder van het platform."),
    Ground.OWN_ORGANISATION: _("Het gaat om een melding of afweging van deze organisatie zelf."),
    Ground.MATCH: _("Deze hulpverlener maakt zich ook zorgen en mag alleen weten wie "
                    "de andere hulpverleners zijn."),
    Ground.MUNICIPAL_OVERSIGHT: _("De gemeente let erop dat er iemand de hulp regelt."),
    Ground.RETENTION: _("De wet zegt hoe lang gegevens bewaard blijven; daarna worden ze "
                        "verwijderd."),
    Ground.PLAN_COORDINATOR: _("Deze medewerker is de regisseur van het gezinsplan."),
    Ground.CONSENT: _("Het gezin gaf deze organisatie toestemming voor het gezinsplan."),
    Ground.LEGAL_BASIS: _("Een wettelijke grondslag, zoals een beschermingsmaatregel."),
    Ground.FAMILY: _("Iemand van het gezin (16 jaar of ouder) die het gezinsplan mag zien."),
    Ground.FRONT_DOOR: _("Het team van de gemeente dat zorgmeldingen behandelt (de voordeur)."),
    Ground.INTAKE_INVITATION: _("Deze organisatie is uitgenodigd voor het gesprek met het "
                                "gezin; de melding zelf ziet zij alleen met uw toestemming."),
    Ground.REPORTER: _("Deze medewerker deed de melding en ziet alleen hoe ver het is."),
    Ground.PUBLIC_REPORT: _("Iemand deed een melding via het formulier op de website."),
    Ground.INSIGHT: _("De gemeente bekeek cijfers over wijken en buurten, zonder personen."),
}

# The same grounds, said to the person who is looking at the data.
GROUND_VIEWER = {
    Ground.REGISTRATION: _("U heeft deze persoon zelf vastgelegd."),
    Ground.BRP: _("U houdt de gegevens uit de BRP bij."),
    Ground.EMERGENCY: _("U gebruikt noodtoegang."),
    Ground.SELF: _("Dit zijn uw eigen gegevens."),
    Ground.PARENT: _("U bent ouder of verzorger van dit kind, en het kind is jonger dan 16 jaar."),
    Ground.PRIVACY_SUPERVISION: _("U houdt toezicht als privacyfunctionaris."),
    Ground.DATA_MANAGEMENT: _("Er staat een terugmelding aan de BRP open die u beoordeelt."),
    Ground.ADMINISTRATION: _("U beheert het platform."),
    Ground.OWN_ORGANISATION: _("Dit hoort bij uw eigen organisatie."),
    Ground.MATCH: _("U bent betrokken bij deze match."),
    Ground.MUNICIPAL_OVERSIGHT: _("De gemeente houdt toezicht op deze match."),
    Ground.RETENTION: _("De bewaartermijn is verstreken."),
    Ground.PLAN_COORDINATOR: _("U bent de regisseur van het gezinsplan."),
    Ground.CONSENT: _("Het gezin gaf uw organisatie toestemming voor het gezinsplan."),
    Ground.LEGAL_BASIS: _("Uw organisatie heeft een wettelijke grondslag voor het gezinsplan."),
    Ground.FAMILY: _("U hoort bij het gezin en bent 16 jaar of ouder."),
    Ground.FRONT_DOOR: _("U werkt in het voordeurteam van deze gemeente."),
    Ground.INTAKE_INVITATION: _("Uw organisatie is uitgenodigd voor het intakegesprek; de "
                                "melding zelf ziet u alleen met toestemming van het gezin."),
    Ground.REPORTER: _("U deed deze melding; u ziet alleen hoe ver het is."),
    Ground.PUBLIC_REPORT: _("U doet een melding via het openbare formulier."),
    Ground.INSIGHT: _("U werkt voor deze gemeente en bekijkt cijfers zonder personen."),
}

ROLE_FAMILY = {
    Role.PROFESSIONAL: _("een hulpverlener"),
    Role.COORDINATOR: _("een regisseur"),
    Role.PRIVACY_OFFICER: _("de privacyfunctionaris"),
    Role.MUNICIPAL_ANALYST: _("een medewerker van de gemeente"),
    Role.FUNCTIONAL_ADMIN: _("een beheerder bij de gemeente"),
    Role.PLATFORM_ADMIN: _("een beheerder van het platform"),
    Role.FRONT_DOOR: _("iemand van het voordeurteam van de gemeente"),
    Role.CITIZEN: _("iemand van het gezin zelf"),
    Role.ANONYMOUS: _("iemand die het meldformulier op de website invulde"),
}

OUTCOME_FAMILY = {
    Outcome.ALLOWED: _("Dat mocht."),
    Outcome.DENIED: _("Dat mocht niet, en is niet gebeurd."),
    Outcome.REFUSED: _("Dat mocht, maar is toch niet gebeurd."),
}

CHANNEL_FAMILY = {
    Channel.SESSION: _("via de website"),
    Channel.API_TOKEN: _("via het systeem van de organisatie"),
    Channel.COMMAND: _("door het platform, op de server"),
    Channel.SYSTEM: _("door het platform zelf"),
}

# Every vocabulary with the texts it has, for the tests and the template filters.
VOCABULARIES: dict[str, type[models.TextChoices]] = {
    "action": Action, "data": Data, "ground": Ground, "role": Role, "outcome": Outcome,
    "channel": Channel, "sex": Sex, "relation": Relation, "field": Field,
}
FAMILY_TEXTS: dict[type[models.TextChoices], Mapping[Any, Any]] = {
    Action: ACTION_FAMILY, Data: DATA_FAMILY, Ground: GROUND_FAMILY, Role: ROLE_FAMILY,
    Outcome: OUTCOME_FAMILY, Channel: CHANNEL_FAMILY,
}


def label(choices: type[models.TextChoices], code: str | None) -> str:
    """The label of a stored code; an empty code is "–", an unknown one stays itself."""
    if not code:
        return str(_("Geen grond")) if choices is Ground else "–"
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def family_text(choices: type[models.TextChoices], code: str | None) -> str:
    """The family's text of a stored code (its label where the vocabulary has none)."""
    texts = FAMILY_TEXTS.get(choices, {})
    try:
        member = choices(code or "")
    except ValueError:
        return label(choices, code)
    return str(texts[member]) if member in texts else str(member.label)


def viewer_text(code: str | None) -> str:
    try:
        return str(GROUND_VIEWER[Ground(code or "")])
    except ValueError:
        return label(Ground, code)


def roles_label(value: str | None, *, family: bool = False) -> str:
    """A stored role, or several joined by commas (denied attempts), as labels."""
    parts = [p for p in (value or "").split(",") if p]
    show = family_text if family else label
    return ", ".join(show(Role, p) for p in parts)

"""Plain-language, translated labels for the codes the platform stores.

The access log and the API keep the codes (`registration`, `read`, `base_data`, ...); the
web pages show these labels instead. Unknown codes fall back to the code itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

GROUNDS = {
    "registration": _("Inschrijving: deze medewerker heeft de persoon zelf vastgelegd"),
    "emergency": _("Noodtoegang, met een geschreven reden"),
    "self": _("U zelf"),
    "parent": _("Ouder of verzorger van een kind onder 16 jaar"),
    "privacy_supervision": _("Toezicht door de privacyfunctionaris"),
    "data_management": _("Gegevensbeheer: een correctie beoordelen"),
    "administration": _("Beheer van het platform"),
    "own_organisation": _("Eigen organisatie: een signaal of afweging van de eigen organisatie"),
    "match": _("Match in de verwijsindex: alleen contactgegevens"),
    "municipal_oversight": _("Toezicht van de gemeente op een match zonder regievoerder"),
    "retention": _("Bewaartermijn: de wet schrijft beëindigen of vernietigen voor"),
    "": _("Geen grond"),
}

# The same grounds, said to the person who is looking at the data.
VIEWER_GROUNDS = {
    "registration": _("U heeft deze persoon zelf vastgelegd."),
    "emergency": _("U gebruikt noodtoegang."),
    "self": _("Dit zijn uw eigen gegevens."),
    "parent": _("U bent ouder of verzorger van dit kind, en het kind is jonger dan 16 jaar."),
    "data_management": _("Er staat een terugmelding aan de BRP open die u beoordeelt."),
    "privacy_supervision": _("U houdt toezicht als privacyfunctionaris."),
    "administration": _("U beheert het platform."),
    "own_organisation": _("Dit hoort bij uw eigen organisatie."),
    "match": _("U bent betrokken bij deze match."),
    "municipal_oversight": _("De gemeente houdt toezicht op deze match."),
}

ACTIONS = {
    "read": _("Bekeken"),
    "create": _("Vastgelegd"),
    "update": _("Gewijzigd"),
    "delete": _("Verwijderd"),
    "export": _("Geëxporteerd"),
    "print": _("Afgedrukt"),
}

DATA = {
    "base_data": _("Basisgegevens (naam, geboortedatum, adres)"),
    "household": _("Huishouden"),
    "access_log": _("Toegangsoverzicht"),
    "break_glass": _("Noodtoegang"),
    "correction": _("Correctievoorstel"),
    "organisation": _("Organisatie"),
    "professional": _("Medewerker"),
    "signal": _("Signaal in de verwijsindex"),
    "match": _("Match in de verwijsindex"),
    "guide_session": _("Afweging met de Signaalgids"),
    "rights_request": _("Verzoek inzage, correctie, kopie of bezwaar"),
}

ROLES = {
    "professional": _("Professional"),
    "coordinator": _("Regisseur"),
    "privacy_officer": _("Privacyfunctionaris"),
    "municipal_analyst": _("Gemeentelijk analist"),
    "functional_admin": _("Functioneel beheerder"),
    "platform_admin": _("Platformbeheerder"),
    "citizen": _("Burger"),
}

OUTCOMES = {
    "allowed": _("Toegestaan"),
    "denied": _("Geweigerd"),
    # Allowed by the access rules, but not carried out: a rule of the platform refused it.
    "refused": _("Toegestaan, maar niet uitgevoerd"),
}

SEXES = {
    "M": _("Man"),
    "V": _("Vrouw"),
    "O": _("Onbekend"),
}

RELATIONS = {
    "parent": _("Ouder"),
    "carer": _("Gezaghebbende"),
    "child": _("Kind"),
    "housemate": _("Huisgenoot"),
}

CHANNELS = {
    "session": _("Website"),
    "api-token": _("Koppeling (API)"),
    "command": _("Opdracht op de server"),
    "system": _("Het platform zelf"),
}

FIELDS = {
    "bsn": _("BSN"),
    "given_names": _("Voornamen"),
    "family_name": _("Achternaam"),
    "birth_date": _("Geboortedatum"),
    "sex": _("Geslacht"),
    "postcode": _("Postcode"),
    "house_number": _("Huisnummer"),
}


def label(table: dict, code: str | None) -> str:
    code = code or ""
    return str(table.get(code, code))


def roles_label(value: str | None) -> str:
    """A stored role, or several joined by commas (denied attempts), as labels."""
    parts = [p for p in (value or "").split(",") if p]
    return ", ".join(label(ROLES, p) for p in parts)

"""The information letter sent on registration, and the privacy officer's rights report.

Both are built as plain data (a title and sections of paragraphs), rendered as a printable
HTML page by a template and as PDF by `ui.pdf.pdf()`. Texts are plain Dutch (B1).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jeugdketen.referral_index.models import Signal
from jeugdketen.ui.pdf import Document, Section


def _d(day: date | None) -> str:
    return date_format(day, "j F Y") if day else "-"


def letter_recipients(signal: Signal) -> str:
    """Under 12: the parents; 12 to 15: the youth and the parents; from 16: the youth."""
    age = signal.person.age_on(signal.registered_on)
    if age < 12:
        return "parents"
    if age < 16:
        return "youth_and_parents"
    return "youth"


def postcode_text(postcode: str) -> str:
    """1234AB as it is written on an envelope: 1234 AB."""
    code = postcode.replace(" ", "").upper()
    return f"{code[:4]} {code[4:]}" if len(code) == 6 else code


def house_text(number: int | None, letter: str = "", addition: str = "") -> str:
    """The house number as written: 70A, 12-2, 7B-1."""
    if number is None:
        return ""
    text = f"{number}{letter}"
    return f"{text}-{addition}" if addition else text


def postal_address(signal: Signal, brp_address: Any, *, brp_answered: bool) -> tuple[list[str], list[str]]:
    """The family's address for the envelope: the BRP's (street, house number with letter
    and addition, postcode and place); without it, what the platform keeps (postcode and
    house number), with a note for the professional who prints the letter."""
    if brp_address is not None:
        street = " ".join(part for part in (
            brp_address.street, house_text(brp_address.house_number, brp_address.house_letter,
                                           brp_address.addition)) if part)
        place = "  ".join(part for part in (postcode_text(brp_address.postcode),
                                            brp_address.place) if part)
        return [line for line in (street, place) if line], []
    person = signal.person
    kept = " ".join(part for part in (postcode_text(person.postcode), person.house) if part)
    if not brp_answered:
        note = _("De BRP gaf nu geen antwoord: alleen de postcode en het huisnummer staan op "
                 "de brief. Probeer het later opnieuw voor het volledige adres.")
    elif person.bsn:
        note = _("De BRP kent geen woonadres in Nederland voor deze jongere. Vul het adres "
                 "zelf aan.")
    else:
        note = _("Deze jongere heeft geen BSN, dus het adres komt niet uit de BRP. Vul straat "
                 "en woonplaats zelf aan.")
    return ([kept] if kept else []), [note]


def information_letter(signal: Signal, municipality_name: str, *, brp_address: Any = None,
                       brp_answered: bool = True, today: date | None = None) -> Document:
    """The letter to the youth and/or the parents: the sender block (the organisation and
    its contact person), the date, the addressee with the address from the BRP, and what
    the registration means, in plain Dutch."""
    person, contact = signal.person, signal.contact
    name = f"{person.given_names} {person.family_name}"
    who = letter_recipients(signal)
    if who == "parents":
        addressee = [_("Aan de ouders of verzorgers van %(name)s") % {"name": name}]
        you, yours = _("uw kind"), _("uw kind")
    elif who == "youth_and_parents":
        addressee = [_("Aan %(name)s en zijn of haar ouders of verzorgers") % {"name": name}]
        you, yours = name, name
    else:
        addressee = [_("Aan %(name)s") % {"name": name}]
        you, yours = _("u"), _("u")
    lines, notes = postal_address(signal, brp_address, brp_answered=brp_answered)
    addressee.extend(lines)
    org = signal.organisation.name
    sender = [org, _("Contactpersoon: %(name)s") % {"name": contact.full_name}]
    if signal.contact_phone:
        sender.append(_("Telefoon: %(phone)s") % {"phone": signal.contact_phone})
    if signal.contact_email:
        sender.append(_("E-mail: %(email)s") % {"email": signal.contact_email})
    return Document(
        title=_("Melding in de Verwijsindex"),
        addressee=addressee,
        sender=sender,
        dated=_("Datum: %(date)s") % {"date": _d(today or timezone.localdate())},
        notes=notes,
        filename=f"brief-verwijsindex-{signal.pk}.pdf",
        sections=[
            Section(_("Wat hebben wij gedaan?"), [
                _("Op %(date)s heeft %(org)s %(who)s aangemeld in de Verwijsindex "
                  "risicojongeren. Dat doen wij omdat wij ons zorgen maken en willen "
                  "samenwerken met anderen die %(who)s ook helpen.")
                % {"date": _d(signal.registered_on), "org": org, "who": you},
                _("In de Verwijsindex staat alleen: de naam en het burgerservicenummer, de "
                  "naam van onze organisatie, de naam en de contactgegevens van de "
                  "contactpersoon, de datum en hoe lang de melding blijft staan. Er staat "
                  "niet in waarom wij ons zorgen maken."),
            ]),
            Section(_("Waarom is er een Verwijsindex?"), [
                _("Soms maken meer hulpverleners zich zorgen over dezelfde jongere, zonder "
                  "het van elkaar te weten. De Verwijsindex brengt hen met elkaar in contact. "
                  "Zo kunnen zij samen afspreken wie de hulp regelt, en hoeft u uw verhaal "
                  "niet steeds opnieuw te vertellen."),
            ]),
            Section(_("Wie kan de melding zien?"), [
                _("Alleen een hulpverlener die zelf ook een melding heeft gedaan over %(who)s, "
                  "over een broer of zus, of over iemand op hetzelfde adres, krijgt bericht. Die "
                  "ziet dan alleen de naam en de contactgegevens van onze contactpersoon. "
                  "Spreken de hulpverleners niet op tijd af wie de regie neemt, dan ziet ook de "
                  "regisseur van de gemeente die contactgegevens. Niemand kan in de "
                  "Verwijsindex zoeken.") % {"who": yours},
            ]),
            Section(_("Hoe lang blijft de melding staan?"), [
                _("De melding blijft staan tot en met %(end)s, of korter als de zorgen weg "
                  "zijn. Daarna bewaren wij haar nog ten hoogste vijf jaar in een archief dat "
                  "alleen de privacyfunctionaris kan zien, en dan wordt zij vernietigd. Op de "
                  "23ste verjaardag wordt alles vernietigd.") % {"end": _d(signal.expires_on)},
            ]),
            Section(_("Uw rechten"), [
                _("U mag de gegevens inzien, laten verbeteren, een kopie krijgen en bezwaar "
                  "maken tegen de melding. Tot 12 jaar doen de ouders dat. Van 12 tot 16 jaar "
                  "doen de jongere en de ouders het samen. Vanaf 16 jaar doet de jongere het "
                  "zelf."),
                _("Neem daarvoor contact op met de gemeente %(municipality)s. U krijgt binnen "
                  "vier weken antwoord.") % {"municipality": municipality_name},
            ]),
            Section(_("Vragen?"), [
                _("Neem contact op met %(name)s van %(org)s: telefoon %(phone)s, e-mail "
                  "%(email)s.") % {"name": contact.full_name, "org": org,
                                   "phone": signal.contact_phone, "email": signal.contact_email},
            ]),
        ],
    )


PURPOSE = gettext_noop(
    "De Verwijsindex risicojongeren (Jeugdwet, paragraaf 7.1.4) brengt professionals die zich "
    "zorgen maken over dezelfde jongere met elkaar in contact, zodat zij samenwerken en één "
    "van hen de regie neemt. Een melding bevat alleen wie de jongere is, welke organisatie "
    "meldt, de contactpersoon, de datum en de looptijd."
)


def _label(choices: Any, code: str | None) -> str:
    from jeugdketen.core.vocabulary import label

    return capfirst(label(choices, code)) if code else ""


def readable(report: dict[str, Any]) -> dict[str, Any]:
    """The rights report as people read it (the page and the PDF): labels instead of codes,
    dates and times in Dutch (or English) format, Europe/Amsterdam time. The JSON download
    keeps the codes and ISO dates of `actions.rights_report`."""
    from jeugdketen.core import vocabulary as v
    from jeugdketen.referral_index.models import EndReason, RightsKind, SignalStatus
    from jeugdketen.ui.templatetags.jk import local_date, local_datetime

    def day(value: str | None) -> str:
        return local_date(value) if value else ""

    person = report["person"]
    return {
        **report,
        "person": {**person, "birth_date": day(person["birth_date"])},
        "made_on": day(report["made_on"]),
        "signals": [{**s, "registered_on": day(s.get("registered_on")),
                     "expires_on": day(s.get("expires_on")), "ended_on": day(s.get("ended_on")),
                     "archived_on": day(s.get("archived_on")),
                     "status": _label(SignalStatus, s.get("status")),
                     "end_reason": _label(EndReason, s.get("end_reason"))}
                    for s in report["signals"]],
        "received": [{**r, "at": local_datetime(r["at"]), "role": v.roles_label(r["role"]),
                      "action": _label(v.Action, r["action"]), "data": _label(v.Data, r["data"]),
                      "ground": _label(v.Ground, r["ground"])}
                     for r in report["received"]],
        "sources": [{**o, "since": day(o["since"])} for o in report["sources"]],
        "requests": [{**q, "kind": _label(RightsKind, q["kind"]),
                      "received_on": day(q.get("received_on")), "due_on": day(q.get("due_on")),
                      "answered_on": day(q.get("answered_on"))}
                     for q in report["requests"]],
    }


def rights_report(report: dict[str, Any]) -> Document:
    """The PDF form of `actions.rights_report` (the same data as the JSON download, with
    labels and local dates: `readable`)."""
    report = readable(report)
    person = report["person"]
    return Document(
        title=_("Overzicht Verwijsindex voor %(name)s") % {"name": person["name"]},
        addressee=[_("Geboortedatum: %(date)s") % {"date": person["birth_date"]},
                   _("Opgesteld op %(date)s") % {"date": report["made_on"]}],
        filename=f"verwijsindex-overzicht-{person['id']}.pdf",
        sections=[
            Section(_("Doel van de Verwijsindex"), [_(PURPOSE)]),
            Section(_("Meldingen"), rows=[
                [_("Organisatie"), _("Contactpersoon"), _("Gemeld op"), _("Tot"), _("Status")],
                *([s["organisation"], s["contact_name"], s["registered_on"], s["expires_on"],
                   f"{s['status']} ({s['end_reason']})" if s["end_reason"] else s["status"]]
                  for s in report["signals"]),
            ]),
            Section(_("Wie kreeg welke gegevens, en wanneer"), rows=[
                [_("Wanneer"), _("Organisatie"), _("Rol"), _("Handeling"), _("Gegevens"),
                 _("Grond")],
                *([r["at"], r["organisation"], r["role"], r["action"], r["data"], r["ground"]]
                  for r in report["received"]),
            ]),
            Section(_("Waar de gegevens vandaan komen"), rows=[
                [_("Organisatie"), _("Sinds")],
                *([o["organisation"], o["since"]] for o in report["sources"]),
            ]),
            Section(_("Verzoeken (inzage, correctie, kopie, bezwaar)"), rows=[
                [_("Soort"), _("Ontvangen"), _("Antwoord uiterlijk"), _("Beantwoord"), _("Uitkomst")],
                *([q["kind"], q["received_on"], q["due_on"], q["answered_on"] or "-",
                   q["outcome"] or "-"] for q in report["requests"]),
            ]),
        ],
    )

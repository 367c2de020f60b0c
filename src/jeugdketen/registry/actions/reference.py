"""Reference data without personal data: areas, the postcode table, and CBS's lists of
municipalities, districts and neighbourhoods (loaded by management commands). A file with
layout errors is refused whole: a Refusal with the rule `cbs_layout` and one message per
error, each naming its line and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jeugdketen.core.errors import FieldError, Refusal, field_error
from jeugdketen.registry import validators
from jeugdketen.registry.models import District, Municipality, Neighbourhood, PostcodeAddress


def layout_error(messages: list[str]) -> Refusal:
    """A file CBS did not lay out as expected: every error at once, nothing loaded."""
    return Refusal("cbs_layout", "\n".join(messages),
                   errors=[FieldError("", "cbs_layout", m) for m in messages])


@transaction.atomic
def ensure_area(
    *, municipality: tuple[str, str], district: tuple[str, str], neighbourhood: tuple[str, str]
) -> Neighbourhood:
    """Create or rename a municipality, district and neighbourhood (code, name) in one go.
    A code that is not CBS's is refused before anything is written: invalid input naming
    each such field (municipality, district, neighbourhood) with the validator's rule."""
    checks: dict[str, tuple[str, Callable[[str], str]]] = {
        "municipality": (municipality[0], validators.validate_municipality_code),
        "district": (district[0], lambda code: validators.cbs_code("WK", code, 6)),
        "neighbourhood": (neighbourhood[0], lambda code: validators.cbs_code("BU", code, 8)),
    }
    codes: dict[str, str] = {}
    errors: list[FieldError] = []
    for name, (value, check) in checks.items():
        try:
            codes[name] = check(value)
        except ValidationError as exc:
            errors.append(field_error(name, exc))
    if errors:
        raise Refusal.invalid(errors)
    m_code, d_code, n_code = codes["municipality"], codes["district"], codes["neighbourhood"]
    m, _c = Municipality.objects.update_or_create(code=m_code, defaults={"name": municipality[1]})
    d, _c = District.objects.update_or_create(
        code=d_code, defaults={"name": district[1], "municipality": m})
    n, _c = Neighbourhood.objects.update_or_create(
        code=n_code, defaults={"name": neighbourhood[1], "district": d})
    return n


@dataclass
class PostcodeImport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    new_areas: int = 0
    errors: list[str] = field(default_factory=list)


def _column(header: list[str], prefix: str) -> int:
    for i, name in enumerate(header):
        if name.strip().strip('"').lower().startswith(prefix.lower()):
            return i
    raise layout_error([_("Kolom %(name)s ontbreekt in de kop.") % {"name": prefix}])


def import_postcodes(lines: Any, *, batch: int = 5000) -> PostcodeImport:
    """Import CBS's postcode-house-number-neighbourhood table (pc6hnr layout:
    `PC6;Huisnummer;BuurtJJJJ;WijkJJJJ;GemeenteJJJJ`, ';'-separated, codes as bare numbers
    or with their BU/WK/GM prefix). Re-running replaces rows; unknown areas are created
    with their code as name."""
    import csv

    reader = csv.reader(lines, delimiter=";")
    header = next(reader)
    cols = [_column(header, p) for p in ("PC6", "Huisnummer", "Buurt", "Wijk", "Gemeente")]
    result = PostcodeImport()
    known = set(Neighbourhood.objects.values_list("code", flat=True))
    pending: list[PostcodeAddress] = []

    def flush() -> None:
        with transaction.atomic():
            before = PostcodeAddress.objects.count()
            PostcodeAddress.objects.bulk_create(
                pending, update_conflicts=True, unique_fields=["postcode", "house_number"],
                update_fields=["neighbourhood"])
            added = PostcodeAddress.objects.count() - before
        result.created += added
        result.updated += len(pending) - added
        pending.clear()

    for lineno, row in enumerate(reader, start=2):
        result.rows += 1
        try:
            pc, nr, bu, wk, gm = (row[i].strip().strip('"') for i in cols)
            postcode = validators.normalise_postcode(pc)
            number = validators.validate_house_number(int(nr))
            bu_code = validators.cbs_code("BU", bu, 8)
            if bu_code not in known:
                ensure_area(municipality=(validators.cbs_code("GM", gm, 4),) * 2,
                            district=(wk, validators.cbs_code("WK", wk, 6)),
                            neighbourhood=(bu, bu_code))
                known.add(bu_code)
                result.new_areas += 1
        except (ValidationError, Refusal, ValueError, IndexError) as exc:
            msg = exc.messages[0] if isinstance(exc, ValidationError | Refusal) else str(exc)
            result.errors.append(f"line {lineno}: {msg}")
            continue
        pending.append(PostcodeAddress(postcode=postcode, house_number=number,
                                       neighbourhood_id=bu_code))
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return result


# --- reference data: CBS's municipalities and areas -----------------------------------


MUNICIPALITY_LIST = "data/gemeenten-2026.csv"  # CBS, Gemeentelijke indeling op 1 januari 2026


def _csv_rows(lines: Any) -> tuple[list[str], Any]:
    """The header and the rows of a CBS CSV file, whichever separator it uses (StatLine
    downloads use ';', files written by cbsodata/pandas ',')."""
    import csv

    rows = iter(lines)
    first = next(rows, "")
    delimiter = max(";,\t", key=first.count)
    header = next(csv.reader([first], delimiter=delimiter), [])
    return header, csv.reader(rows, delimiter=delimiter)


def _header_key(name: str) -> str:
    """A column name without quotes, case, spaces, underscores and CBS's trailing number
    (`Codering_3`, `Codering_4` and `Codering` are one column)."""
    return re.sub(r"[\s_\"]+|\d+$", "", name.strip().strip('"').rstrip("0123456789")).lower()


def _find_columns(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    keys = [_header_key(h) for h in header]
    found: dict[str, int] = {}
    for what, aliases in wanted.items():
        for alias in aliases:
            if _header_key(alias) in keys:
                found[what] = keys.index(_header_key(alias))
                break
        else:
            raise layout_error([
                _("Regel 1: kolom %(name)s ontbreekt in de kop (gevonden: %(found)s).")
                % {"name": aliases[0], "found": ", ".join(h.strip() for h in header)}])
    return found


@dataclass
class MunicipalityLoad:
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # "GM0000: old -> new"
    ended: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_municipalities(lines: Any) -> list[tuple[str, str]]:
    """(code, name) from CBS's list of municipalities: the CSV of "Gemeenten alfabetisch"
    (columns GemeentecodeGM or Gemeentecode, and Gemeentenaam; others are ignored). Every
    error names its line and column; a file with errors loads nothing."""
    header, reader = _csv_rows(lines)
    keys = [_header_key(h) for h in header]
    code_alias = "GemeentecodeGM" if "gemeentecodegm" in keys else "Gemeentecode"
    cols = _find_columns(header, {"code": (code_alias,), "name": ("Gemeentenaam",)})
    found: dict[str, str] = {}
    errors: list[str] = []
    for lineno, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            raw_code, name = (row[cols[c]].strip() for c in ("code", "name"))
        except IndexError:
            errors.append(_("Regel %(line)d: te weinig kolommen.") % {"line": lineno})
            continue
        try:
            code = validators.validate_municipality_code(validators.cbs_code("GM", raw_code, 4))
        except ValidationError as exc:
            errors.append(_("Regel %(line)d, kolom %(column)s: %(error)s") % {
                "line": lineno, "column": header[cols["code"]].strip(), "error": exc.messages[0]})
            continue
        if not name or len(name) > 100:
            errors.append(_("Regel %(line)d, kolom %(column)s: een naam van 1 tot 100 tekens.")
                          % {"line": lineno, "column": header[cols["name"]].strip()})
        elif code in found:
            errors.append(_("Regel %(line)d, kolom %(column)s: %(code)s staat al eerder in "
                            "het bestand.") % {"line": lineno, "column": header[cols["code"]].strip(),
                                               "code": code})
        else:
            found[code] = name
    if errors:
        raise layout_error(errors)
    if not found:
        raise layout_error([_("Het bestand noemt geen enkele gemeente.")])
    return sorted(found.items())


@transaction.atomic
def load_municipalities(lines: Any, *, on: date) -> MunicipalityLoad:
    """Bring the municipalities up to CBS's list for a new year: new codes are added, a
    changed name is taken over, and a listed municipality the list no longer has is marked
    as ended on `on` (never deleted: organisations, districts and history refer to it).
    Running it again with the same list changes nothing."""
    wanted = dict(read_municipalities(lines))
    result = MunicipalityLoad()
    existing = {m.code: m for m in Municipality.objects.select_for_update()}
    for code, name in wanted.items():
        m = existing.get(code)
        if m is None:
            Municipality.objects.create(code=code, name=name, listed=True)
            result.created.append(f"{code} {name}")
            continue
        changed = []
        if m.name != name:
            result.renamed.append(f"{code}: {m.name} -> {name}")
            m.name = name
            changed.append("name")
        if m.ended_on is not None:
            result.reopened.append(f"{code} {name}")
            m.ended_on = None
            changed.append("ended_on")
        if not m.listed:
            m.listed = True
            changed.append("listed")
        if changed:
            m.save(update_fields=changed)
        else:
            result.unchanged += 1
    for code, m in sorted(existing.items()):
        if code not in wanted and m.listed and m.ended_on is None:
            m.ended_on = on
            m.save(update_fields=["ended_on"])
            result.ended.append(f"{code} {m.name}")
    return result


@dataclass
class AreaImport:
    municipalities: int = 0
    districts_created: int = 0
    neighbourhoods_created: int = 0
    renamed: int = 0
    unchanged: int = 0


# The columns of CBS's "Kerncijfers wijken en buurten": the StatLine table as cbsodata or
# the OData feed writes it (WijkenEnBuurten, Gemeentenaam_1, SoortRegio_2, Codering_3; the
# number after the name may differ per year), StatLine's CSV download with labels
# ("Wijken en buurten", "Gemeentenaam", "Soort regio", "Codering"), or the kwb-JJJJ file
# (regio, gm_naam, recs, gwb_code_10).
AREA_COLUMNS = {
    "name": ("WijkenEnBuurten", "Wijken en buurten", "regio"),
    "municipality": ("Gemeentenaam", "gm_naam"),
    "kind": ("SoortRegio", "Soort regio", "recs"),
    "code": ("Codering", "gwb_code_10"),
}
AREA_KINDS = {"gemeente": "GM", "wijk": "WK", "buurt": "BU", "land": "NL"}


def import_areas(lines: Any) -> AreaImport:
    """Names and codes of CBS's districts (wijken) and neighbourhoods (buurten) from the
    "Kerncijfers wijken en buurten" CSV, so neighbourhoods carry names. Idempotent: a
    known area keeps its code and takes the file's name. A file with errors changes
    nothing; each error names its line and column."""
    header, reader = _csv_rows(lines)
    cols = _find_columns(header, AREA_COLUMNS)
    column = {what: header[i].strip().strip('"') for what, i in cols.items()}
    municipalities: dict[str, str] = {}
    districts: dict[str, tuple[str, str]] = {}  # code: (name, municipality code)
    hoods: dict[str, tuple[str, str]] = {}  # code: (name, district code)
    errors: list[str] = []

    def error(lineno: int, what: str, message: str) -> None:
        errors.append(_("Regel %(line)d, kolom %(column)s: %(error)s") % {
            "line": lineno, "column": column[what], "error": message})

    for lineno, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            errors.append(_("Regel %(line)d: %(found)d kolommen, de kop heeft er %(expected)d.")
                          % {"line": lineno, "found": len(row), "expected": len(header)})
            continue
        name, gm_name, kind, code = (row[cols[c]].strip() for c in ("name", "municipality",
                                                                       "kind", "code"))
        prefix = AREA_KINDS.get(kind.lower())
        if prefix is None:
            error(lineno, "kind", _("onbekende soort regio %(kind)r (Gemeente, Wijk of Buurt).")
                  % {"kind": kind})
            continue
        if prefix == "NL":
            continue  # the country as a whole
        width = {"GM": 4, "WK": 6, "BU": 8}[prefix]
        if not code.upper().startswith(prefix) or not re.fullmatch(rf"\d{{{width}}}", code[2:]):
            error(lineno, "code", _("een %(kind)s heeft een code als %(example)s, niet %(code)r.")
                  % {"kind": kind.lower(), "example": prefix + "0363" + "0" * (width - 4),
                     "code": code})
            continue
        code = code.upper()
        if not name or len(name) > 100:
            error(lineno, "name", _("een naam van 1 tot 100 tekens."))
            continue
        if prefix == "GM":
            municipalities[code] = name
        elif prefix == "WK":
            districts[code] = (name, "GM" + code[2:6])
            municipalities.setdefault("GM" + code[2:6], gm_name or "GM" + code[2:6])
        else:
            hoods[code] = (name, "WK" + code[2:8])
            municipalities.setdefault("GM" + code[2:6], gm_name or "GM" + code[2:6])
    for code, (_name, district) in sorted(hoods.items()):
        if district not in districts and not District.objects.filter(code=district).exists():
            errors.append(_("Buurt %(code)s: wijk %(district)s staat niet in het bestand en is "
                            "niet bekend.") % {"code": code, "district": district})
    if errors:
        raise layout_error(errors)

    result = AreaImport()
    with transaction.atomic():
        known = set(Municipality.objects.filter(code__in=municipalities)
                    .values_list("code", flat=True))
        for code in sorted(set(municipalities) - known):
            # A municipality CBS's list does not have yet: named as the file names it.
            Municipality.objects.create(code=code, name=municipalities[code])
            result.municipalities += 1
        for model, rows, parent in ((District, districts, "municipality_id"),
                                    (Neighbourhood, hoods, "district_id")):
            current = {o.code: o for o in model.objects.filter(code__in=rows)}
            for code, (name, parent_code) in sorted(rows.items()):
                found = current.get(code)
                if found is None:
                    model.objects.create(code=code, name=name, **{parent: parent_code})
                    if model is District:
                        result.districts_created += 1
                    else:
                        result.neighbourhoods_created += 1
                elif found.name != name or getattr(found, parent) != parent_code:
                    found.name = name
                    setattr(found, parent, parent_code)
                    found.save(update_fields=["name", parent.removesuffix("_id")])
                    result.renamed += 1
                else:
                    result.unchanged += 1
    return result

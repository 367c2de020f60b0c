"""The only functions that change the client registry, one module per concern:
persons (registration and the logged reads of base data), households, refresh (the BRP's
facts), corrections (reports back to the BRP), organisations (and a municipality's
settings), professionals (accounts) and reference (areas, postcodes, CBS's lists).

Each action checks the access policy, writes, appends the access log record and emits the
chain event in one transaction (see jeugdketen.access.audit.write_path). A domain rule or
invalid input refuses with jeugdketen.core.errors.Refusal. Reads that are not logged are in
jeugdketen.registry.selectors.
"""

from jeugdketen.registry.actions.corrections import decide_correction, list_open_corrections
from jeugdketen.registry.actions.households import MAX_MEMBERS, MemberInput, register_household
from jeugdketen.registry.actions.organisations import (
    configure_municipality,
    create_organisation,
    list_organisations,
    read_organisation,
    set_organisation_active,
    update_organisation,
)
from jeugdketen.registry.actions.persons import (
    REPORTED_FIELDS,
    VERIFIED_FIELDS,
    PersonInput,
    Registered,
    brp_mismatch,
    brp_unavailable,
    list_registered,
    read_listed,
    read_person,
    register_person,
)
from jeugdketen.registry.actions.professionals import (
    create_professional,
    set_professional_active,
    update_professional,
)
from jeugdketen.registry.actions.reference import (
    MUNICIPALITY_LIST,
    AreaImport,
    MunicipalityLoad,
    PostcodeImport,
    ensure_area,
    import_areas,
    import_postcodes,
    load_municipalities,
    read_municipalities,
)
from jeugdketen.registry.actions.refresh import Refreshed, apply_brp, refresh_from_brp
from jeugdketen.registry.actions.visible import visible_persons

__all__ = [
    "MAX_MEMBERS",
    "MUNICIPALITY_LIST",
    "REPORTED_FIELDS",
    "VERIFIED_FIELDS",
    "AreaImport",
    "MemberInput",
    "MunicipalityLoad",
    "PersonInput",
    "PostcodeImport",
    "Refreshed",
    "Registered",
    "apply_brp",
    "brp_mismatch",
    "brp_unavailable",
    "configure_municipality",
    "create_organisation",
    "create_professional",
    "decide_correction",
    "ensure_area",
    "import_areas",
    "import_postcodes",
    "list_open_corrections",
    "list_organisations",
    "list_registered",
    "load_municipalities",
    "read_listed",
    "read_municipalities",
    "read_organisation",
    "read_person",
    "refresh_from_brp",
    "register_household",
    "register_person",
    "set_organisation_active",
    "set_professional_active",
    "update_organisation",
    "update_professional",
    "visible_persons",
]

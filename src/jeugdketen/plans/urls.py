from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path, register_converter
from django.urls.converters import get_converters

from jeugdketen.plans.views import (
    base,
    closing,
    consent,
    evaluations,
    lists,
    page,
    sections,
    team,
    versions,
)


def form(slug: str, view: Callable[..., Any], *, item: bool = False) -> URLPattern:
    """A form of the family page at /plannen/<plan id>/<slug>/ (with `item`:
    /plannen/<plan id>/<slug>/<item id>/). The slug is the `form` argument of its URL name,
    so templates write {% url 'plan_form' plan.pk 'doel' %} and
    {% url 'plan_item_form' plan.pk 'zorg-verwijderen' concern.pk %}."""
    name = f"form-{slug}"
    if name not in get_converters():

        class Slug:
            regex = slug

            def to_python(self, value: str) -> str:
                return value

            def to_url(self, value: str) -> str:
                return value

        register_converter(Slug, name)
    if item:
        return path(f"<uuid:plan_id>/<{name}:form>/<int:item_id>/", view, name="plan_item_form")
    return path(f"<uuid:plan_id>/<{name}:form>/", view, name="plan_form")


urlpatterns = [
    path("", lists.my_plans, name="my_plans"),
    path("nieuw/", lists.start, name="plan_start"),
    path("<uuid:plan_id>/", page.plan_page, name="plan"),
    path("<uuid:plan_id>/versies/", versions.versions, name="plan_versions"),
    path("<uuid:plan_id>/plan.pdf", page.plan_pdf, name="plan_pdf"),
    path("<uuid:plan_id>/aansluiten/", lists.join, name="plan_join"),
    # The forms of the family page: posted from the page itself (POST only) ...
    form("onderdelen", sections.post_sections),
    form("zorg", sections.post_concern),
    form("zorg-verwijderen", sections.post_remove_concern, item=True),
    form("doel", sections.post_goal),
    form("actie", sections.post_action),
    form("team-professional", team.post_team_professional),
    form("team-netwerk", team.post_team_network),
    form("team-verwijderen", team.post_remove_member, item=True),
    form("versie", versions.post_version),
    form("goedkeuring", versions.post_approval),
    form("reactie", versions.post_comment),
    form("toestemming", consent.post_consent),
    form("toestemming-intrekken", consent.post_withdraw, item=True),
    # ... or with a page of their own (GET shows it, POST saves).
    form("actie-afgerond", sections.action_done_page, item=True),
    form("evaluatie", evaluations.evaluation_page),
    form("overdracht", team.handover_page),
    form("afsluiten", closing.close_page),
    form("grondslag", consent.legal_basis_page),
    # Any other form, or a form with or without an item it does not take.
    path("<uuid:plan_id>/<slug:form>/", base.other_form, name="plan_form"),
    path("<uuid:plan_id>/<slug:form>/<int:item_id>/", base.other_form, name="plan_item_form"),
]

"""Adapting the decision aids on screen (issue 9): the functional administrator opens the
Signaalgids, uploads a version (problems named with their line), previews it, activates it
(professionals then walk it; sessions keep their version), sees the history and restores
the built-in version. Nobody else may; every change is logged and a chain event."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.guide import actions, loader
from jeugdketen.guide.models import AidVersion
from tests import factories as f

from .conftest import GOOD_MELDCODE

MELDCODE = (Path(loader.BUILTIN_DIR) / "meldcode.yaml").read_text(encoding="utf-8")


def new_version(number: str = "2027.1", extra: str = "") -> str:
    builtin = loader.get("meldcode")
    assert builtin is not None
    text = MELDCODE.replace(f'version: "{builtin.version}"', f'version: "{number}"', 1)
    return text.replace("  nl: Meldcode huiselijk geweld en kindermishandeling\n",
                        f"  nl: Meldcode huiselijk geweld en kindermishandeling{extra}\n", 1)


def upload(client, text: str):
    return client.post(reverse("guide_admin"), {"text": text})


def test_meldcode_gives_veilig_thuis_number():
    aid = loader.get("meldcode")
    assert aid is not None
    report = aid.outcome("report_to_veilig_thuis")
    assert report is not None and "0800-2000" in report.text.nl and "0800-2000" in report.text.en
    assert aid.consult_colleague is not None and "0800-2000" in aid.consult_colleague.nl


@pytest.mark.django_db
def test_functional_admin_opens_the_signaalgids_but_fills_in_nothing(client_for,
                                                                     functional_admin):
    client = client_for(functional_admin)
    page = client.get(reverse("guide_index"))
    assert page.status_code == 200
    assert reverse("guide_admin").encode() in page.content
    assert reverse("guide_step", args=["meldcode"]).encode() not in page.content
    assert client.get(reverse("guide_step", args=["meldcode"])).status_code == 403
    assert client.get(reverse("guide_sessions")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["professional", "coordinator", "privacy_officer",
                                  "municipal_analyst", "platform_admin"])
def test_only_the_functional_admin_adapts_the_aids(client_for, make_professional, role):
    client = client_for(make_professional(role))
    assert client.get(reverse("guide_admin")).status_code == 403
    assert upload(client, new_version()).status_code == 403
    assert not AidVersion.objects.exists()


@pytest.mark.django_db
def test_upload_names_each_problem_with_its_line(client_for, functional_admin):
    client = client_for(functional_admin)
    text = new_version().replace("outcome: report_to_veilig_thuis", "outcome: report_x", 1)
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "report_x" in row)
    response = upload(client, text)
    assert response.status_code == 422
    page = response.content.decode()
    assert f"Regel {line}" in page and "unknown_outcome" in page
    assert not AidVersion.objects.exists()
    broken = upload(client, "schema: 1\nslug: meldcode\n  version: x: y\n")
    assert broken.status_code == 422 and "Regel 3" in broken.content.decode()


@pytest.mark.django_db
def test_upload_preview_activate_history_restore(client_for, functional_admin, professional):
    admin = client_for(functional_admin)
    response = upload(admin, new_version(extra=" (proef)"))
    version = AidVersion.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("guide_admin_version", args=[version.pk])
    assert not version.active
    # Not in use yet: professionals still get the built-in version.
    assert loader.in_use("meldcode").version != "2027.1"
    preview = admin.get(response.url)
    assert preview.status_code == 200
    assert "(proef)" in preview.content.decode() and "0800-2000" in preview.content.decode()
    # The same version twice is refused.
    again = upload(admin, new_version())
    assert again.status_code == 422 and AidVersion.objects.count() == 1

    assert admin.post(reverse("guide_admin_activate", args=[version.pk])).status_code == 302
    version.refresh_from_db()
    assert version.active and version.activated_by == functional_admin
    assert loader.in_use("meldcode").version == "2027.1"
    care = client_for(professional)
    assert "(proef)" in care.get(reverse("guide_step", args=["meldcode"])).content.decode()
    done = actions.complete_session(f.professional_actor(professional), "meldcode",
                                    GOOD_MELDCODE)
    assert done.session.version == "2027.1"

    history = admin.get(reverse("guide_admin")).content.decode()
    assert "2027.1" in history and functional_admin.full_name in history

    builtin = loader.get("meldcode")
    assert admin.post(reverse("guide_admin_restore", args=["meldcode"])).status_code == 302
    version.refresh_from_db()
    assert not version.active and version.retired_at is not None
    assert loader.in_use("meldcode").version == builtin.version
    # The session answered with 2027.1 still shows its advice.
    assert actions.advice_for(done.session) is not None

    events = list(ChainEvent.objects.filter(activity__startswith="guide.version")
                  .values_list("activity", flat=True).order_by("id"))
    assert events == ["guide.version_uploaded", "guide.version_activated",
                      "guide.version_activated"]
    logged = AccessLogRecord.objects.filter(data="decision_aid", outcome="allowed")
    assert logged.filter(action="create").exists() and logged.filter(action="update").exists()


@pytest.mark.django_db
def test_unknown_version_is_not_found(client_for, functional_admin):
    admin = client_for(functional_admin)
    assert admin.get(reverse("guide_admin_version", args=[999])).status_code == 404
    assert admin.post(reverse("guide_admin_activate", args=[999])).status_code == 404


@pytest.mark.django_db
def test_aliases_are_refused_so_an_upload_cannot_expand(client_for, functional_admin):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
        for i in range(8))
    response = upload(client_for(functional_admin), bomb)
    assert response.status_code == 422
    page = response.content.decode()
    assert "aliases" in page and "Regel 2" in page
    assert not AidVersion.objects.exists()


@pytest.mark.django_db
def test_an_invalid_upload_is_logged_as_a_refused_attempt(client_for, functional_admin):
    """The attempt rolled back with the refusal, so write_path logs it again as refused
    (like every refusal after the permission check): the log shows who tried."""
    client = client_for(functional_admin)
    text = new_version().replace("outcome: report_to_veilig_thuis", "outcome: report_x", 1)
    assert upload(client, text).status_code == 422
    tried = AccessLogRecord.objects.filter(object_type="decision_aid", action="create")
    assert [r.outcome for r in tried] == ["refused"]
    assert "aid_invalid" in tried.get().reason

"""A completed decision aid: the professional's answers and the advice's outcome.

The record belongs to the professional's own organisation. It is never part of the
reference index and never shared through a match; only the professional's organisation
reads it (access policy: Data.GUIDE_SESSION, ground own_organisation), and every read is
in the access log. The chain event log only learns that an aid was completed, with its
slug, version and outcome (never the answers).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeugdketen.registry.models import Organisation, Person, Professional


class GuideSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="guide_sessions")
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT,
                                     related_name="guide_sessions")
    # The youth the aid was about, if any. Destroying the person destroys these answers.
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="guide_sessions")
    slug = models.CharField(_("beslishulp"), max_length=40)
    version = models.CharField(_("versie"), max_length=30)
    answers = models.JSONField(_("antwoorden"))
    outcome = models.CharField(_("uitkomst"), max_length=40)
    # The statutory risk codes the answers pointed to, as the aid's version mapped them.
    statutory_risks = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"],
                                name="guide_session_org_created")]
        verbose_name = _("ingevulde beslishulp")
        verbose_name_plural = _("ingevulde beslishulpen")

    def __str__(self) -> str:
        return f"{self.slug} {self.version}: {self.outcome}"


class AidVersion(models.Model):
    """A version of a decision aid that a functional administrator uploaded (the YAML text
    as uploaded, valid when stored). At most one version per aid is active: it replaces the
    built-in file (and JEUGDKETEN_GUIDES_DIR) for that slug until another is activated or
    the built-in one is restored. Versions are never changed or removed: they are the
    history."""

    slug = models.CharField(_("beslishulp"), max_length=40)
    version = models.CharField(_("versie"), max_length=30)
    source = models.TextField(_("YAML"))
    uploaded_by = models.ForeignKey(Professional, on_delete=models.PROTECT,
                                    related_name="uploaded_aid_versions")
    uploaded_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=False)
    activated_by = models.ForeignKey(Professional, null=True, blank=True,
                                     on_delete=models.PROTECT,
                                     related_name="activated_aid_versions")
    activated_at = models.DateTimeField(null=True, blank=True)
    # When it stopped being the version in use (another was activated, or the built-in
    # one restored).
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slug", "-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="aid_version_unique"),
            models.UniqueConstraint(fields=["slug"], condition=models.Q(active=True),
                                    name="aid_version_one_active"),
        ]
        verbose_name = _("versie van een beslishulp")
        verbose_name_plural = _("versies van beslishulpen")

    def __str__(self) -> str:
        return f"{self.slug} {self.version}"

"""The simulation page's scenario form: what the analyst typed; the scenario's own check
(steering.simulation.scenarios, via the action) refuses naming the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdketen.ui.forms import UtrechtForm

WAYS = [("present", _("Zoals nu (een deel gezamenlijk, de rest na elkaar)")),
        ("joint", _("Altijd één gezamenlijke intake")),
        ("sequential", _("Altijd intakes na elkaar, per organisatie"))]


class ScenarioForm(UtrechtForm):
    way = forms.ChoiceField(label=_("Manier van intake"), choices=WAYS, initial="present")
    slots_1 = forms.IntegerField(label=_("Intakeplekken per week erbij of eraf: organisatie 1"),
                                 required=False, initial=0,
                                 help_text=_("De organisatie die een gezin als eerste spreekt."))
    slots_2 = forms.IntegerField(label=_("Organisatie 2"), required=False, initial=0,
                                 help_text=_("De tweede organisatie."))
    slots_3 = forms.IntegerField(label=_("Organisatie 3"), required=False, initial=0,
                                 help_text=_("De derde organisatie."))
    arrivals_pct = forms.FloatField(label=_("Meer of minder meldingen (procent)"),
                                    required=False, initial=0,
                                    help_text=_("Bijvoorbeeld 10 voor 10% meer, -10 voor 10% minder."))
    weeks = forms.IntegerField(label=_("Weken"), initial=52)
    replications = forms.IntegerField(label=_("Herhalingen"), initial=30,
                                      help_text=_("Meer herhalingen geven smallere intervallen."))
    seed = forms.IntegerField(label=_("Startgetal van het toeval"), initial=1,
                              help_text=_("Hetzelfde startgetal geeft dezelfde uitkomst."))

    def scenario(self) -> dict[str, Any]:
        d = self.cleaned_data
        slots = {org: int(d[f"slots_{org}"]) for org in ("1", "2", "3") if d.get(f"slots_{org}")}
        return {"way": d["way"], "slots": slots, "arrivals_pct": float(d.get("arrivals_pct") or 0),
                "weeks": d["weeks"], "replications": d["replications"], "seed": d["seed"]}

    @staticmethod
    def error_field(name: str) -> str:
        """The scenario's field as this form names it (slots.2 -> slots_2)."""
        return name.replace("slots.", "slots_")

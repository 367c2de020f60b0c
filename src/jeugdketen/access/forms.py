"""Forms of the access pages that are not the page kit's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdketen.ui.forms import UtrechtForm


class ReviewForm(UtrechtForm):
    justified = forms.TypedChoiceField(
        label=_("Was de noodtoegang terecht?"),
        choices=[("ja", _("Ja, terecht")), ("nee", _("Nee, niet terecht"))],
        coerce=lambda v: v == "ja",
        error_messages={"required": _("Kies ja of nee.")},
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=2000,
        help_text=_("Bijvoorbeeld: besproken met de medewerker."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, record_id: int | str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_r{record_id}_%s")
        super().__init__(*args, **kwargs)

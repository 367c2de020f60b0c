"""The platform inbox: sending a message to professionals, the unread count, opening one.

A message is only ever sent from inside an action, in its transaction (the event and its
message stand or fall together). It names what the recipient may already see and links to
the page where the work is done; it never copies the content of a plan.

A low package: every app that tells a professional something sends through it; the
`Message` model itself is referral_index's schema (referral_index.models).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from jeugdketen.referral_index.models import Message, MessageKind
from jeugdketen.registry.models import Professional


def send(recipients: Iterable[Professional | None], kind: MessageKind, subject: str, body: str,
         *, plan: Any = None, match: Any = None, at: datetime | None = None,
         skip: Professional | None = None) -> list[Message]:
    """One message per recipient (each once; `skip`, the one who acted, gets none)."""
    seen: set[int] = set()
    out = []
    for prof in recipients:
        if prof is None or prof.pk in seen or (skip is not None and prof.pk == skip.pk):
            continue
        seen.add(prof.pk)
        out.append(Message(recipient=prof, kind=kind, subject=str(subject)[:200],
                           body=str(body), plan=plan, match=match,
                           created_at=at or timezone.now()))
    return Message.objects.bulk_create(out)


def unread_count(professional: Professional | None) -> int:
    if professional is None:
        return 0
    return Message.objects.filter(recipient=professional, read_at__isnull=True).count()


def unread_of_user(user: Any) -> int:
    """The count on "Berichten" in the navigation (one query)."""
    return Message.objects.filter(recipient__user=user, read_at__isnull=True).count()


def open_message(professional: Professional, message_id: Any) -> Message | None:
    """One of the professional's own messages, marked read now that it is opened (someone
    else's message is answered as unknown)."""
    try:
        message = (Message.objects.select_related("match", "plan")
                   .get(pk=int(message_id), recipient=professional))
    except (Message.DoesNotExist, ValueError, TypeError):
        return None
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def messages_of(professional: Professional, limit: int = 200) -> list[Message]:
    """The professional's own messages, newest first, each with its link (`jk_link`)."""
    messages = list(Message.objects.filter(recipient=professional)
                    .select_related("plan")[:limit])
    for message in messages:
        message.jk_link = link(message)  # type: ignore[attr-defined]
    return messages


def link(message: Message) -> str:
    """Where the work the message is about is done ("" when there is no such page for the
    recipient: someone who left a team, or handed the plan over, no longer sees it)."""
    if message.match_id is not None:
        return reverse("my_matches") + f"#match-{message.match_id}"
    if message.plan_id is None or message.kind == MessageKind.TEAM_LEFT:
        return ""
    if message.kind == MessageKind.HANDOVER and (
            message.plan is None or message.plan.coordinator_id != message.recipient_id):
        return ""
    return reverse("plan", args=[message.plan_id])

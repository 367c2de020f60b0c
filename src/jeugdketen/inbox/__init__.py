"""The platform inbox: sending a message to professionals, the unread count, opening one.

A message is only ever sent from inside an action, in its transaction (the event and its
message stand or fall together). It names what the recipient may already see and links to
the page where the work is done; it never copies the content of a plan.

A low package: every app that tells a professional something sends through it, and only
it writes messages; the `Message` model itself is referral_index's schema
(referral_index.models). Where a message's work is done is a page of a higher app: the page
that shows the message makes the link (referral_index.views), not this package.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from jeugdketen.referral_index.models import Message, MessageKind
from jeugdketen.registry.models import Professional


@dataclass(frozen=True)
class Note:
    """One message to one professional, with its own body (e.g. whom *their* signal is
    about) and what it is about: a match or a plan, whose page the message links to."""

    recipient: Professional
    subject: str
    body: str
    kind: MessageKind = MessageKind.INDEX
    match: Any = None
    plan: Any = None


def deliver(notes: Iterable[Note], *, at: datetime | None = None) -> list[Message]:
    """Each note as a message, in the given order, in one bulk INSERT (nothing skipped:
    the caller chose the recipients)."""
    out = [Message(recipient=n.recipient, kind=n.kind, subject=str(n.subject)[:200],
                   body=str(n.body), plan=n.plan, match=n.match,
                   created_at=at or timezone.now()) for n in notes]
    return Message.objects.bulk_create(out) if out else []


def send(recipients: Iterable[Professional | None], kind: MessageKind, subject: str, body: str,
         *, plan: Any = None, match: Any = None, at: datetime | None = None,
         skip: Professional | None = None) -> list[Message]:
    """One message per recipient (each once; `skip`, the one who acted, gets none)."""
    seen: set[int] = set()
    notes = []
    for prof in recipients:
        if prof is None or prof.pk in seen or (skip is not None and prof.pk == skip.pk):
            continue
        seen.add(prof.pk)
        notes.append(Note(prof, subject, body, kind, match=match, plan=plan))
    return deliver(notes, at=at)


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


def mark_read(professional: Professional, message_id: int) -> None:
    """One of the professional's own messages marked read (once: a second time, or someone
    else's message, changes nothing)."""
    professional.messages.filter(pk=message_id, read_at__isnull=True).update(read_at=timezone.now())


def messages_of(professional: Professional, limit: int = 200) -> list[Message]:
    """The professional's own messages, newest first (with their plan, which the page's
    link needs)."""
    return list(Message.objects.filter(recipient=professional).select_related("plan")[:limit])


def link_target(message: Message) -> tuple[str, Any] | None:
    """What the message links to, for the page that shows it: ("match", id), ("plan", id),
    or None when there is no such page for the recipient (someone who left a team, or
    handed the plan over, no longer sees it)."""
    if message.match_id is not None:
        return ("match", message.match_id)
    if message.plan_id is None or message.kind == MessageKind.TEAM_LEFT:
        return None
    if message.kind == MessageKind.HANDOVER and (
            message.plan is None or message.plan.coordinator_id != message.recipient_id):
        return None
    return ("plan", message.plan_id)

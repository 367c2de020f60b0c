"""The inbox is the only writer of messages: per-recipient bodies in one INSERT, and the link
of a message named by the inbox but made by the page that shows it (no upward import)."""

from __future__ import annotations

import ast
import inspect
import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jeugdketen import inbox
from jeugdketen.referral_index import actions
from jeugdketen.referral_index.models import Match, MatchKind, Message, MessageKind
from tests import factories as f


def match() -> Match:
    return Match.objects.create(kind=MatchKind.CLIENT, subject_key="client:x",
                                coordinator_due=timezone.localdate() + timedelta(days=10))


def test_deliver_writes_each_note_in_one_insert(db):
    anna, bram = f.ProfessionalFactory(), f.ProfessionalFactory()
    m = match()
    with CaptureQueriesContext(connection) as captured:
        sent = inbox.deliver([inbox.Note(anna, "Match", "over Anna's youth", match=m),
                              inbox.Note(bram, "Match", "over Bram's youth", match=m)])
    inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and len(sent) == 2
    rows = list(Message.objects.order_by("id").values_list(
        "recipient_id", "kind", "match_id", "subject", "body", "read_at"))
    assert rows == [(anna.pk, MessageKind.INDEX, m.pk, "Match", "over Anna's youth", None),
                    (bram.pk, MessageKind.INDEX, m.pk, "Match", "over Bram's youth", None)]
    with CaptureQueriesContext(connection) as captured:
        assert inbox.deliver([]) == []
    assert captured.captured_queries == []


def test_send_still_skips_repeats_and_the_one_who_acted(db):
    anna, bram = f.ProfessionalFactory(), f.ProfessionalFactory()
    sent = inbox.send([anna, None, bram, anna], MessageKind.INDEX, "s", "b", skip=bram)
    assert [m.recipient_id for m in sent] == [anna.pk]


def test_mark_read_only_the_recipients_own(db):
    anna, bram = f.ProfessionalFactory(), f.ProfessionalFactory()
    [message] = inbox.deliver([inbox.Note(anna, "s", "b")])
    inbox.mark_read(bram, message.pk)
    message.refresh_from_db()
    assert message.read_at is None
    inbox.mark_read(anna, message.pk)
    message.refresh_from_db()
    assert message.read_at is not None


def test_link_target_names_the_match_or_the_plan():
    plan_id = uuid.uuid4()
    assert inbox.link_target(Message(recipient_id=1, match_id=7)) == ("match", 7)
    assert inbox.link_target(Message(recipient_id=1, kind=MessageKind.PLAN_APPROVED,
                                     plan_id=plan_id)) == ("plan", plan_id)
    assert inbox.link_target(Message(recipient_id=1, kind=MessageKind.TEAM_LEFT,
                                     plan_id=plan_id)) is None
    assert inbox.link_target(Message(recipient_id=1)) is None


def _names_message_writes(module: object) -> list[str]:
    """Calls that make or write Message rows: Message(...) and Message.objects.<write>."""
    found = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):  # type: ignore[arg-type]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Message":
            found.append("Message(...)")
        if (isinstance(func, ast.Attribute) and func.attr in ("create", "bulk_create", "update")
                and "Message" in ast.unparse(func)):
            found.append(ast.unparse(func))
    return found


def test_only_the_inbox_writes_messages_of_the_reference_index():
    assert _names_message_writes(actions) == []
    assert _names_message_writes(inbox) != []  # the check sees the inbox's own writes


def test_the_inbox_resolves_no_url_of_a_higher_app():
    tree = ast.parse(inspect.getsource(inbox))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "django.urls" not in imported

"""`jeugdketen steering ask-time`: the weekly time question (issue 13): closes the weeks
whose answering has ended, then e-mails the question."""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jeugdketen.access.policy import AccessPoint, Actor


class Command(BaseCommand):
    help = (
        "Steering. `steering ask-time`: first closes every week whose answering week has "
        "ended (its answers enter the chain log, shuffled, at one moment), then e-mails the "
        "question about the ISO week just ended to every professional who has not answered "
        "it (once), and one reminder to who was asked at least two days before and has "
        "still not answered; a second run closes and sends nothing twice. Run it daily (or "
        "at least weekly). Prints {closed, week, questions, reminders} as JSON (closed: the "
        "weeks closed now, with their number of answers)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="what", required=True, metavar="{ask-time}")
        ask = commands.add_parser("ask-time", help="e-mail the weekly time question")
        ask.add_argument("--base-url", default=os.environ.get("JEUGDKETEN_BASE_URL",
                                                              "http://127.0.0.1:8000"),
                         help="the platform's address for the link in the e-mail "
                              "(default $JEUGDKETEN_BASE_URL, else http://127.0.0.1:8000)")

    def handle(self, *args: Any, **opts: Any) -> None:
        from jeugdketen.steering import time_actions

        actor = Actor(operator=True, access_point=AccessPoint(
            channel="command", user_agent="jeugdketen steering ask-time"))
        closed = time_actions.close_time_weeks(actor)
        sent = time_actions.send_time_questions(actor, base_url=opts["base_url"])
        self.stdout.write(json.dumps({"closed": {time_actions.week_label(c.week): c.answers
                                                 for c in closed},
                                      "week": time_actions.week_label(sent.week),
                                      "questions": sent.questions,
                                      "reminders": sent.reminders}))

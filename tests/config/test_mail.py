"""Finding 10 of issue 8: match e-mails (names and contact details of professionals) were
printed to the server log outside demo mode, because the console backend was the default.
Now: SMTP when JEUGDKETEN_SMTP_HOST is set; the console only in a demo or DEBUG run; else
nothing is sent and the log says only that a message was not sent."""

from __future__ import annotations

import logging
import socketserver
import threading
from typing import ClassVar

import pytest
from django.core.exceptions import ImproperlyConfigured

from jeugdketen.config import mail
from jeugdketen.referral_index import actions
from jeugdketen.registry.models import Registration
from tests import factories as f


@pytest.mark.parametrize(("environ", "demo", "debug", "expected"), [
    ({}, False, False, mail.NOT_SENT),
    ({}, True, False, mail.CONSOLE),
    ({}, False, True, mail.CONSOLE),
    ({"JEUGDKETEN_SMTP_HOST": "smtp.gemeente.example"}, False, False, mail.SMTP),
    ({"JEUGDKETEN_SMTP_HOST": "smtp.gemeente.example"}, True, False, mail.SMTP),
    ({"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}, False, False,
     "django.core.mail.backends.locmem.EmailBackend"),
    ({"EMAIL_BACKEND": mail.CONSOLE}, True, False, mail.CONSOLE),
])
def test_which_backend(environ, demo, debug, expected):
    assert mail.backend(environ, demo=demo, debug=debug) == expected


@pytest.mark.parametrize("writer", [mail.CONSOLE,
                                    "django.core.mail.backends.filebased.EmailBackend"])
def test_a_backend_that_writes_bodies_is_refused_outside_demo(writer):
    with pytest.raises(ImproperlyConfigured, match="JEUGDKETEN_SMTP_HOST"):
        mail.backend({"EMAIL_BACKEND": writer}, demo=False, debug=False)


def test_smtp_security():
    assert mail.smtp_security({}) == (True, False)
    assert mail.smtp_security({"JEUGDKETEN_SMTP_SECURITY": "ssl"}) == (False, True)
    assert mail.smtp_security({"JEUGDKETEN_SMTP_SECURITY": "none"}) == (False, False)
    with pytest.raises(ImproperlyConfigured):
        mail.smtp_security({"JEUGDKETEN_SMTP_SECURITY": "maybe"})


def make_match(capture) -> tuple:
    """Two organisations signal on one youth: a client match, e-mailed after commit."""
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(10))
    profs = []
    for name in ("Anna Alfa", "Bram Beta"):
        org = f.OrganisationFactory(may_signal=True, may_coordinate=True)
        prof = f.ProfessionalFactory(organisation=org, full_name=name,
                                     email=f"{name.split()[0].lower()}@example.test")
        Registration.objects.create(person=kid, professional=prof, organisation=org)
        profs.append(prof)
    with capture(execute=True):
        for prof in profs:
            actions.register_signal(f.professional_actor(prof), kid.pk,
                                    contact_phone="0612345678")
    return tuple(profs)


def test_without_a_mail_server_nothing_is_printed_or_logged_but_the_fact(
        db, settings, capsys, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = mail.backend({}, demo=False, debug=False)
    with caplog.at_level(logging.INFO):
        a, b = make_match(django_capture_on_commit_callbacks)
    printed = capsys.readouterr()
    logged = caplog.text
    for secret in (a.full_name, b.full_name, a.email, b.email, "0612345678", "match"):
        assert secret not in printed.out + printed.err, secret
        assert secret not in logged, secret
    assert logged.count("e-mail not sent: no mail server configured") == 2
    # The message itself is still in each inbox in the platform.
    assert {m.recipient_id for m in actions.Message.objects.all()} == {a.pk, b.pk}


def test_in_a_demo_the_console_shows_the_e_mails(db, settings, capsys,
                                                 django_capture_on_commit_callbacks):
    """The other side of the test above: the console backend does print, so the absence
    of a print there means something."""
    settings.EMAIL_BACKEND = mail.backend({}, demo=True, debug=False)
    a, _b = make_match(django_capture_on_commit_callbacks)
    assert a.email in capsys.readouterr().out


class FakeSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages; what arrives is in `received`."""

    received: ClassVar[list[bytes]] = []

    def handle(self) -> None:
        self.wfile.write(b"220 fake ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.wfile.write(b"250 fake\r\n")
            elif command == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                FakeSmtp.received.append(data)
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_with_a_mail_server_the_match_e_mails_go_there(db, settings, capsys,
                                                      django_capture_on_commit_callbacks):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSmtp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeSmtp.received = []
    environ = {"JEUGDKETEN_SMTP_HOST": "127.0.0.1", "JEUGDKETEN_SMTP_SECURITY": "none"}
    settings.EMAIL_BACKEND = mail.backend(environ, demo=False, debug=False)
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = mail.smtp_security(environ)
    try:
        a, _b = make_match(django_capture_on_commit_callbacks)
    finally:
        server.shutdown()
        server.server_close()
    assert len(FakeSmtp.received) == 2
    assert any(a.email.encode() in m for m in FakeSmtp.received)
    assert a.email not in capsys.readouterr().out

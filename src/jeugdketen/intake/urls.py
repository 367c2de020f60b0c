"""The front door's pages for professionals (intake.views), at the root: /zorgmeldingen/
and /intakes/. The queue, the settings and the public form have urls modules of their own."""

from django.urls import path

from jeugdketen.intake import views

app_name = "intake"

urlpatterns = [
    path("zorgmeldingen/nieuw/", views.report_new, name="report_new"),
    path("zorgmeldingen/<uuid:report_id>/", views.report_page, name="report"),
    path("zorgmeldingen/<uuid:report_id>/triage/", views.triage_page, name="triage"),
    path("zorgmeldingen/<uuid:report_id>/intake/", views.plan_intake_page, name="plan_intake"),
    path("zorgmeldingen/<uuid:report_id>/hulp-gestart/", views.help_started_page,
         name="help_started"),
    path("intakes/uitnodigingen/", views.invitations_page, name="invitations"),
    path("intakes/<int:meeting_id>/uitnodiging/", views.answer_page, name="answer"),
    path("intakes/<int:meeting_id>/vervangen/", views.replace_page, name="replace"),
    path("intakes/<int:meeting_id>/gehouden/", views.held_page, name="held"),
    path("intakes/<int:meeting_id>/uitkomst/", views.outcome_page, name="outcome"),
]

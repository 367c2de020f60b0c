from django.urls import path

from jeugdketen.referral_index import views

urlpatterns = [
    path("signalen/", views.my_signals, name="my_signals"),
    path("signalen/nieuw/", views.register, name="signal_register"),
    path("signalen/<int:signal_id>/", views.detail, name="signal_detail"),
    path("signalen/<int:signal_id>/brief/", views.letter, name="signal_letter"),
    path("signalen/<int:signal_id>/brief.pdf", views.letter, {"as_pdf": True}, name="signal_letter_pdf"),
    path("matches/", views.my_matches, name="my_matches"),
    path("matches/termijn-verlopen/", views.overdue, name="overdue_matches"),
    path("berichten/", views.inbox, name="inbox"),
    path("berichten/<int:message_id>/", views.inbox_message, name="inbox_message"),
    path("rechten/", views.rights, name="rights"),
    path("rechten/<uuid:person_id>/", views.rights_person, name="rights_report"),
    path("rechten/<uuid:person_id>/overzicht.pdf", views.rights_person, {"fmt": "pdf"}, name="rights_report_pdf"),
    path("rechten/<uuid:person_id>/overzicht.json", views.rights_person, {"fmt": "json"}, name="rights_report_json"),
]

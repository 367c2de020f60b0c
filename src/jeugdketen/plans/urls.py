from django.urls import path

from jeugdketen.plans import views

urlpatterns = [
    path("", views.my_plans, name="my_plans"),
    path("nieuw/", views.start, name="plan_start"),
    path("<uuid:plan_id>/", views.plan_page, name="plan"),
    path("<uuid:plan_id>/versies/", views.versions, name="plan_versions"),
    path("<uuid:plan_id>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("<uuid:plan_id>/aansluiten/", views.join, name="plan_join"),
    path("<uuid:plan_id>/analyse/<uuid:person_id>/", views.analysis_page, name="plan_analysis"),
    path("<uuid:plan_id>/<slug:form>/", views.plan_form, name="plan_form"),
    path("<uuid:plan_id>/<slug:form>/<int:item_id>/", views.plan_form, name="plan_item_form"),
]

"""The steering pages (issue 13), namespace "steering", under /sturing/."""

from django.urls import URLPattern, URLResolver, path

from jeugdketen.steering import board_views, simulation_views, time_views

app_name = "steering"

urlpatterns: list[URLPattern | URLResolver] = [
    # steer-time: the weekly time question, the yearly survey and their figures
    path("tijd/", time_views.time_question, name="time"),
    path("werkplezier/", time_views.survey_page, name="survey"),
    path("tijd-en-werkplezier/", time_views.figures, name="effort_figures"),
    # steer-sim
    path("simulatie/", simulation_views.simulation, name="simulation"),
    # steer-board: the chain board, its improvement actions and the minutes
    path("bord/", board_views.board, name="board"),
    path("bord/acties/nieuw/", board_views.new_action, name="action_new"),
    path("bord/acties/<int:action_id>/", board_views.change_action, name="action"),
    path("bord/overleg/nieuw/", board_views.new_minutes, name="minutes_new"),
    path("bord/overleg/<int:meeting_id>/", board_views.meeting, name="meeting"),
]

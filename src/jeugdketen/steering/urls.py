"""The steering pages (issue 13), namespace "steering", under /sturing/."""

from django.urls import path

from jeugdketen.steering import board_views

app_name = "steering"

urlpatterns: list[object] = [
    # --- steer-board ---
    path("bord/", board_views.board, name="board"),
    path("bord/acties/nieuw/", board_views.new_action, name="action_new"),
    path("bord/acties/<int:action_id>/", board_views.change_action, name="action"),
    path("bord/overleg/nieuw/", board_views.new_minutes, name="minutes_new"),
    path("bord/overleg/<int:meeting_id>/", board_views.meeting, name="meeting"),
]

"""The round's whole URL map. The pages live in ``views/``, one module per area: HR's rounds and
the way in for everyone else (``rounds``), management's goals (``goals``), the round in a unit
(``unit_round``), the conversation concepts (``concepts``) and their guidance (``guide``). The
launch, which invites everyone, is the conversations' (``conversations:round_launch``)."""

from django.urls import path

from samtale.rounds.views import concepts, goals, guide, rounds, unit_round

app_name = "rounds"

ROUND = "<uuid:round_uuid>"
UNIT = f"{ROUND}/units/<uuid:unit_uuid>"
FOCUS_AREA = f"{UNIT}/focus-areas/<uuid:area_uuid>"

urlpatterns = [
    # HR's rounds, and the way in for everyone else.
    path("", rounds.round_list, name="list"),
    path("new/", rounds.create, name="create"),
    path("current/", rounds.current, name="current"),
    path(f"{ROUND}/", rounds.detail, name="detail"),
    path(f"{ROUND}/edit/", rounds.edit, name="edit"),
    path(f"{ROUND}/participants/", rounds.participants, name="participants"),
    # Management's goals.
    path(f"{ROUND}/goals/", goals.goal_list, name="goals"),
    path(f"{ROUND}/goals/<uuid:goal_uuid>/edit/", goals.goal_edit, name="goal_edit"),
    path(f"{ROUND}/goals/<uuid:goal_uuid>/move/", goals.goal_move, name="goal_move"),
    path(f"{ROUND}/goals/<uuid:goal_uuid>/remove/", goals.goal_remove, name="goal_remove"),
    # The round in a unit: its introduction, focus areas, opening and proposed topics.
    path(f"{UNIT}/", unit_round.unit_round_detail, name="unit_round"),
    path(f"{UNIT}/introduction/", unit_round.introduction, name="unit_round_introduction"),
    path(f"{UNIT}/focus-areas/", unit_round.focus_area_add, name="focus_area_add"),
    path(f"{FOCUS_AREA}/edit/", unit_round.focus_area_edit, name="focus_area_edit"),
    path(f"{FOCUS_AREA}/move/", unit_round.focus_area_move, name="focus_area_move"),
    path(f"{FOCUS_AREA}/remove/", unit_round.focus_area_remove, name="focus_area_remove"),
    path(f"{UNIT}/open/", unit_round.open_in_unit, name="unit_round_open"),
    path(f"{UNIT}/proposals/", unit_round.propose, name="proposal_add"),
    path("proposals/<uuid:proposal_uuid>/answer/", unit_round.answer, name="proposal_answer"),
    # Conversation concepts.
    path("concepts/", concepts.concept_list, name="concepts"),
    path("concepts/<uuid:concept_uuid>/", concepts.concept_detail, name="concept"),
    path("concepts/<uuid:concept_uuid>/copy/", concepts.concept_copy, name="concept_copy"),
    path("concepts/<uuid:concept_uuid>/edit/", concepts.concept_edit, name="concept_edit"),
    path("concepts/<uuid:concept_uuid>/guide/", guide.concept_guide, name="concept_guide"),
    # The guidance for employees and leaders, from the concept of the round in their unit.
    path("guide/", guide.guide_index, name="guide"),
    path("guide/<slug:key>/", guide.guide_topic, name="guide_topic"),
]

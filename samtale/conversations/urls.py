"""The conversation's whole URL map. The pages live in ``views/``, one module per area: the
conversation's page (``conversation``), the launch of a round (``invitation``), time, place,
topics and attendees (``scheduling``), the two preparations (``preparation``) and the guide with its
minutes and open items and the outcome (``meeting``)."""

from django.urls import path

from samtale.conversations.views import conversation, invitation, meeting, preparation, scheduling

app_name = "conversations"

CONVERSATION = "<uuid:conversation_uuid>"

urlpatterns = [
    path(f"{CONVERSATION}/", conversation.detail, name="detail"),
    # The launch: the round's invitations.
    path("launch/<uuid:round_uuid>/", invitation.round_launch_page, name="round_launch"),
    # Time and place, topics, the notice and the attendees.
    path(f"{CONVERSATION}/schedule/", scheduling.schedule, name="schedule"),
    path(f"{CONVERSATION}/schedule/cancel/", scheduling.schedule_cancel, name="schedule_cancel"),
    path(f"{CONVERSATION}/invitation.ics", scheduling.ics, name="ics"),
    path(f"{CONVERSATION}/topics/", scheduling.topic_raise, name="topic_raise"),
    path(f"{CONVERSATION}/topics/<uuid:topic_uuid>/withdraw/", scheduling.topic_withdraw, name="topic_withdraw"),
    path(f"{CONVERSATION}/notice/", scheduling.notice, name="notice"),
    path(f"{CONVERSATION}/attendees/daily-leader/", scheduling.daily_leader, name="daily_leader"),
    path(
        f"{CONVERSATION}/attendees/daily-leader/decision/",
        scheduling.daily_leader_decision,
        name="daily_leader_decision",
    ),
    path(f"{CONVERSATION}/attendees/union-rep/", scheduling.union_rep, name="union_rep"),
    path(f"{CONVERSATION}/attendees/union-rep/summon/", scheduling.union_rep_summon, name="union_rep_summon"),
    path("slots/", scheduling.slots_latest, name="slots_latest"),
    path("rounds/<uuid:round_uuid>/slots/", scheduling.slots, name="slots"),
    # The preparations, the guide with its minutes and open items, and the outcome.
    path(f"{CONVERSATION}/preparation/", preparation.preparation, name="preparation"),
    path(f"{CONVERSATION}/preparation/share/", preparation.preparation_share, name="preparation_share"),
    path(f"{CONVERSATION}/preparation/print/", preparation.preparation_print, name="preparation_print"),
    path(f"{CONVERSATION}/leader-preparation/", preparation.leader_preparation, name="leader_preparation"),
    path(
        f"{CONVERSATION}/leader-preparation/print/",
        preparation.leader_preparation_print,
        name="leader_preparation_print",
    ),
    path(f"{CONVERSATION}/guide/", meeting.guide, name="guide"),
    path(f"{CONVERSATION}/open-items/", meeting.open_item_add, name="open_item_add"),
    path(f"{CONVERSATION}/open-items/<uuid:item_uuid>/answer/", meeting.open_item_answer, name="open_item_answer"),
    path(f"{CONVERSATION}/open-items/<uuid:item_uuid>/remove/", meeting.open_item_remove, name="open_item_remove"),
    path(f"{CONVERSATION}/outcome/", meeting.outcome, name="outcome"),
    path(f"{CONVERSATION}/outcome/clear/", meeting.outcome_clear, name="outcome_clear"),
]

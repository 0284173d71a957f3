"""A meeting's time and place, written once for every conversation that is booked (the MUS and
its follow-up conversation): the rules of a time and place (``time_and_place``), the form part
that asks for one (``forms``) and the calendar file that carries it (``calendar``).

Nothing here knows a round or a plan. A rule that depends on them ("not after the round's held-by
date", "no later than the date agreed in the plan") stays in the app and comes in as a
``LastDay``; one that reads other bookings (a clash with the leader's other conversations) is the
app's to add."""

"""The design system's small parts: a state says itself in words and colour; an icon is decorative."""

from __future__ import annotations

from django.template import Context, Template

from samtale.competences.models import RegistrationState
from samtale.conversations.models import ConversationStatus
from samtale.learning.models import RequestStatus
from samtale.lib.interface import TONES
from samtale.plans.models import FollowUpStatus, PlanStatus


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_a_state_is_a_tag_whose_words_say_it_and_whose_colour_follows_it() -> None:
    assert render("{% status 'held' 'Afholdt' %}") == '<span class="badge badge-success">Afholdt</span>'
    assert render("{% status 'scheduled' 'Planlagt' %}") == '<span class="badge badge-info">Planlagt</span>'
    assert render("{% status 'changes_asked' label %}", label="Ændringer <ønsket>") == (
        '<span class="badge badge-warning">Ændringer &lt;ønsket&gt;</span>'
    )
    assert render("{% status 'invited' 'Skal planlægges' %}") == '<span class="badge">Skal planlægges</span>'
    assert render("{% status '' '' %}") == ""


def test_every_tone_names_a_state_that_exists() -> None:
    states = {
        str(s) for s in (*ConversationStatus, *PlanStatus, *FollowUpStatus, *RegistrationState, *RequestStatus)
    } | {"launched", "open"}
    assert set(TONES) <= states


def test_an_icon_is_hidden_from_screen_readers_and_drawn_from_the_sprite() -> None:
    html = render("{% icon 'check' %}")
    assert 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert "dkfds/icons" in html and html.endswith('#check"></use></svg>')


def test_every_icon_a_template_names_is_in_the_sprite() -> None:
    """``{% icon "name" %}`` draws nothing for a name the design system's sprite lacks."""
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    sprite = set(re.findall(r'id="([^"]+)"', (root / "static/dkfds/icons.svg").read_text()))
    named = {
        name
        for template in (root / "templates").rglob("*.html")
        for name in re.findall(r'\{% icon "([^"]+)" %\}', template.read_text())
    }
    assert named and not named - sprite, sorted(named - sprite)


def test_a_remembered_state_tag_still_escapes_a_label_that_is_not_safe() -> None:
    from django.utils.safestring import mark_safe

    from samtale.lib.interface import status

    assert status("held", mark_safe("<b>Holdt</b>")) == '<span class="badge badge-success"><b>Holdt</b></span>'
    assert status("held", "<b>Holdt</b>") == '<span class="badge badge-success">&lt;b&gt;Holdt&lt;/b&gt;</span>'

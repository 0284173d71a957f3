"""Links without arguments kept per process (lib.links): the address Django gives, under the
prefix the site is served at, and Django's own tag for everything else."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from samtale.lib.links import link


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_an_address_without_arguments_is_djangos() -> None:
    assert link("dashboards:home") == reverse("dashboards:home")
    assert _render('{% url "dashboards:team" %}') == reverse("dashboards:team")
    assert _render("{% url name %}", name="oversight:rounds") == reverse("oversight:rounds")
    assert _render('{% url "rounds:guide" as guide %}[{{ guide }}]') == f"[{reverse('rounds:guide')}]"


def test_an_address_with_arguments_is_worked_out_each_time() -> None:
    uuid = "9f1c1b0e-2f5b-4f55-9a53-4c8a2a0d8a11"
    assert _render('{% url "plans:detail" uuid %}', uuid=uuid) == reverse("plans:detail", args=[uuid])
    other = "0b9d4a53-51f6-4b2a-8d0e-3c1f3e0c7a22"
    assert _render('{% url "plans:detail" uuid %}', uuid=other) == reverse("plans:detail", args=[other])


def test_under_another_prefix_the_address_follows_it() -> None:
    try:
        set_script_prefix("/samtale/")
        assert link("dashboards:home").startswith("/samtale/")
        assert _render('{% url "dashboards:home" %}').startswith("/samtale/")
    finally:
        set_script_prefix("/")
    assert not link("dashboards:home").startswith("/samtale/")


def test_an_unknown_name_fails_as_in_django() -> None:
    with pytest.raises(NoReverseMatch):
        _render('{% url "no:such" %}')
    assert _render('{% url "no:such" as nothing %}[{{ nothing }}]') == "[]"


def test_an_address_with_uuids_and_numbers_is_the_one_django_gives() -> None:
    from uuid import UUID, uuid4

    for _ in range(3):
        plan, conversation = uuid4(), uuid4()
        assert link("plans:detail", plan) == reverse("plans:detail", args=[plan])
        assert link("plans:plan_version", plan, 2) == reverse("plans:plan_version", args=[plan, 2])
        assert link("plans:plan_version", plan, 0) == reverse("plans:plan_version", args=[plan, 0])
        assert _render("{% url 'conversations:detail' c %}", c=conversation) == reverse(
            "conversations:detail", args=[conversation]
        )
    # A value that looks like the stand-in is put in as any other.
    odd = UUID("5a3c1e00-0000-4000-8000-000000000000")
    assert link("plans:plan_version", odd, 1) == reverse("plans:plan_version", args=[odd, 1])


def test_other_arguments_go_to_django() -> None:
    from uuid import uuid4

    plan = str(uuid4())  # a string, not a uuid
    assert link("plans:detail", plan) == reverse("plans:detail", args=[plan])
    with pytest.raises(NoReverseMatch):
        link("plans:plan_version", uuid4(), -1)  # a negative number has no address
    with pytest.raises(NoReverseMatch):
        _render("{% url 'plans:plan_version' p n %}", p=uuid4(), n=-1)


def _named_routes() -> list[tuple[str, list[object]]]:
    """Every named URL of Samtale whose arguments are uuids or numbers, with its converters."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter, UUIDConverter

    found: list[tuple[str, list[object]]] = []

    def walk(patterns: list[object], namespace: str, converters: list[object]) -> None:
        for entry in patterns:
            own = list(getattr(entry.pattern, "converters", {}).values())  # type: ignore[attr-defined]
            if entry.pattern.regex.groups != len(own):  # type: ignore[attr-defined]
                continue  # a regular expression's groups (the admin's): not ours
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner, converters + own)
            elif isinstance(entry, URLPattern) and entry.name:
                kinds = converters + own
                if all(isinstance(kind, IntConverter | UUIDConverter) for kind in kinds):
                    found.append((f"{namespace}{entry.name}", kinds))

    walk(get_resolver().url_patterns, "", [])
    return found


def test_every_address_of_samtale_is_the_one_django_gives() -> None:
    import random
    from uuid import uuid4

    from django.urls.converters import UUIDConverter
    from django.utils import translation

    routes = _named_routes()
    assert len(routes) > 100
    for language in ("da", "en"):
        with translation.override(language):
            for name, kinds in routes:
                for _ in range(2):
                    args = [uuid4() if isinstance(kind, UUIDConverter) else random.randrange(10_000) for kind in kinds]
                    assert link(name, *args) == reverse(name, args=args), name

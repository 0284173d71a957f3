"""Random sequences of actions by random people drive a plan through its states: saving, handing in,
asking for changes, signing with the right or a wrong password, amending, and a rogue write straight
to the database. A simple model of the rules (docs/domain.md § After the conversation and
§ The plan; docs/trust.md § Access matrix and § Signed means frozen) says what each action should
do; after every step the test checks that

- the service did exactly what the model allows, and refused everyone acting outside their role
  with PermissionDenied (someone who is not the employee or the current leader never hands in,
  asks for changes, signs or amends);
- no signed version's canonical bytes or hash ever change, and every signature records its
  version's hash;
- at most one signature per side and version, each by the employee or the leader themself;
- the plan's status is its current version's, and ``signed_at`` never moves once set.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from samtale.access.viewer import Viewer, viewer_for
from samtale.plans import content
from samtale.plans.models import Plan, PlanStatus, PlanVersion, Side, Signature
from samtale.plans.services import signing, writing
from samtale.testing import FAST_PASSWORD_HASHERS, PASSWORD, build_org, build_round
from samtale.testing.signing import complete_content, make_plan, reload

PERSONAS = ("employee", "leader", "head", "former_leader", "daily_leader", "hr", "outsider")
SIDES = {"employee": Side.EMPLOYEE, "leader": Side.LEADER}
EDITABLE = (PlanStatus.DRAFT, PlanStatus.CHANGES_ASKED)

actions = st.lists(
    st.one_of(
        st.tuples(st.just("save"), st.sampled_from(PERSONAS), st.booleans()),  # complete or not
        st.tuples(st.just("submit"), st.sampled_from(PERSONAS), st.just(True)),
        st.tuples(st.just("ask_changes"), st.sampled_from(PERSONAS), st.booleans()),  # with a comment or not
        st.tuples(st.just("sign"), st.sampled_from(PERSONAS), st.booleans()),  # the right password or not
        st.tuples(st.just("amend"), st.sampled_from(PERSONAS), st.booleans()),  # with a reason or not
        st.tuples(st.just("rogue_write"), st.just("-"), st.just(True)),
    ),
    min_size=1,
    max_size=14,
)


@dataclass
class ModelVersion:
    pk: int
    status: str = PlanStatus.DRAFT
    complete: bool = True
    signed: set[str] = field(default_factory=set)
    frozen: bytes | None = None  # the canonical bytes when first signed
    hash: str = ""


# The class's users are made before pytest's function fixtures apply the suite's fast hasher: name
# it here so that they are made and checked with the same one on every database.
@override_settings(
    SAMTALE_LOGIN_FAILURES_PER_ACCOUNT=10_000,
    SAMTALE_LOGIN_FAILURES_PER_ADDRESS=10_000,
    PASSWORD_HASHERS=FAST_PASSWORD_HASHERS,
)
class PlanStateProperties(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_org()
        cls.mus = build_round(cls.org)

    @settings(
        max_examples=35,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(steps=actions)
    def test_random_actions_never_change_a_signed_version_nor_leave_a_role(self, steps: list) -> None:
        plan = make_plan(self.mus)
        versions = [ModelVersion(pk=signing.current_version(plan).pk)]  # type: ignore[union-attr]
        signed_at = None
        for action, persona, flag in steps:
            current = versions[-1]
            plan = reload(plan)
            outcome = self._run(plan, action, persona, flag)
            expected = self._expected(action, persona, flag, current)
            message = getattr(self, "last_error", "")
            assert outcome == expected, f"{action} by {persona} ({flag}): {outcome}, expected {expected} ({message})"
            if outcome == "done":
                self._apply(action, persona, flag, versions, plan)
            plan = reload(plan)
            self._check(plan, versions)
            if signed_at is not None:
                assert plan.signed_at == signed_at, "signed_at moved"
            signed_at = plan.signed_at

    # What the code does ------------------------------------------------------------------------

    def _run(self, plan: Plan, action: str, persona: str, flag: bool) -> str:
        viewer = viewer_for(self.org.user(persona)) if persona != "-" else None
        self.last_error = ""
        try:
            if action == "save":
                self._save(plan, viewer, complete=flag)  # type: ignore[arg-type]
            elif action == "submit":
                signing.plan_submit(viewer=viewer, plan=plan)  # type: ignore[arg-type]
            elif action == "ask_changes":
                signing.plan_ask_changes(viewer=viewer, plan=plan, comment="Mere konkret" if flag else " ")  # type: ignore[arg-type]
            elif action == "sign":
                signing.plan_sign(viewer=viewer, plan=plan, password=PASSWORD if flag else "forkert")  # type: ignore[arg-type]
            elif action == "amend":
                signing.plan_amend(viewer=viewer, plan=plan, reason="Ny situation" if flag else "")  # type: ignore[arg-type]
            elif action == "rogue_write":
                return self._rogue_write(plan)
        except PermissionDenied:
            return "forbidden"
        except ValidationError as error:
            self.last_error = " ".join(error.messages)
            return "refused"
        return "done"

    def _save(self, plan: Plan, viewer: Viewer, *, complete: bool) -> None:
        """The employee's form, through the writing service (who, when, the crossed save)."""
        plan = Plan.objects.select_related("conversation__round__concept", "employee__unit").get(pk=plan.pk)
        version = signing.current_version(plan)
        assert version is not None and plan.conversation.held_on is not None
        version.plan = plan
        text = complete_content() if complete else {"focus_areas": [], "follow_up_topics": [], "goals": []}
        follow_up = (plan.conversation.held_on + timedelta(days=150)).isoformat() if complete else ""
        writing.plan_save(viewer=viewer, version=version, content=text, follow_up=follow_up, revision=version.revision)

    def _rogue_write(self, plan: Plan) -> str:
        """A bug in some service writes to every version of the plan, signed or not."""
        for version in PlanVersion.objects.filter(plan=plan):
            changed = copy.deepcopy(version.content)
            changed.setdefault("goals", []).append({"id": "rogue", "text": "Indsmuglet", "activities": []})
            try:
                with transaction.atomic():
                    PlanVersion.objects.filter(pk=version.pk).update(content=changed)
            except (IntegrityError, DatabaseError):
                assert version.content_hash, "the database refused to change an unsigned version"
            else:
                assert not version.content_hash, "the database let a signed version change"
                # Put it back: this was a bug, not the employee writing.
                PlanVersion.objects.filter(pk=version.pk).update(content=version.content)
        return "done"

    # What the rules say ------------------------------------------------------------------------

    def _expected(self, action: str, persona: str, flag: bool, current: ModelVersion) -> str:
        side = SIDES.get(persona)
        if action == "save":
            if persona != "employee":
                return "forbidden"
            return "done" if current.status in EDITABLE and current.frozen is None else "refused"
        if action == "rogue_write":
            return "done"
        if action == "submit":
            if persona != "employee":
                return "forbidden"
            return "done" if current.status in EDITABLE and current.frozen is None and current.complete else "refused"
        if action == "ask_changes":
            if persona != "leader":
                return "forbidden"
            ok = flag and current.status == PlanStatus.SUBMITTED and Side.LEADER not in current.signed
            return "done" if ok else "refused"
        if action == "sign":
            if side is None:
                return "forbidden"
            ok = flag and current.status == PlanStatus.SUBMITTED and side not in current.signed
            return "done" if ok else "refused"
        if action == "amend":
            if side is None:
                return "forbidden"
            return "done" if flag and current.status == PlanStatus.SIGNED else "refused"
        raise AssertionError(action)

    def _apply(self, action: str, persona: str, flag: bool, versions: list[ModelVersion], plan: Plan) -> None:
        current = versions[-1]
        if action == "save":
            current.complete = flag
        elif action == "submit":
            current.status = PlanStatus.SUBMITTED
        elif action == "ask_changes":
            current.status = PlanStatus.CHANGES_ASKED
            if current.frozen is not None:  # the employee had signed: the changes go into a new version
                newest = plan.versions.order_by("-number").first()
                versions.append(ModelVersion(pk=newest.pk, status=PlanStatus.CHANGES_ASKED, complete=current.complete))  # type: ignore[union-attr]
        elif action == "sign":
            if current.frozen is None:
                stored = PlanVersion.objects.get(pk=current.pk)
                current.frozen, current.hash = content.canonical_bytes(stored), content.content_hash(stored)
            current.signed.add(SIDES[persona])
            if len(current.signed) == 2:
                current.status = PlanStatus.SIGNED
        elif action == "amend":
            newest = plan.versions.order_by("-number").first()
            versions.append(ModelVersion(pk=newest.pk, complete=current.complete))  # type: ignore[union-attr]

    # The invariants ----------------------------------------------------------------------------

    def _check(self, plan: Plan, versions: list[ModelVersion]) -> None:
        stored = {v.pk: v for v in PlanVersion.objects.filter(plan=plan)}
        assert sorted(stored) == [v.pk for v in versions], "versions appeared or vanished unexpectedly"
        for model in versions:
            version = stored[model.pk]
            assert version.status == model.status
            if model.frozen is not None:
                assert content.canonical_bytes(version) == model.frozen, "a signed version's bytes changed"
                assert version.content_hash == model.hash == content.content_hash(version)
            else:
                assert not version.content_hash
            signatures = list(Signature.objects.filter(version=version))
            assert {s.side for s in signatures} == model.signed and len(signatures) == len(model.signed)
            for signature in signatures:
                assert signature.content_hash == version.content_hash
                expected_person = self.org.employee if signature.side == Side.EMPLOYEE else self.org.leader
                assert signature.person_id == expected_person.pk
            assert (version.signed_at is not None) == (model.status == PlanStatus.SIGNED)
        assert plan.status == versions[-1].status
        assert (plan.signed_at is not None) == any(v.status == PlanStatus.SIGNED for v in versions)

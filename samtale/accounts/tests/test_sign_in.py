from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samtale.accounts.models import LoginFailure, User
from samtale.accounts.services import invitations_send
from samtale.audit.models import AuditEvent
from samtale.testing import PASSWORD, Org


def sign_in(client: Client, email: str, password: str, **extra: object):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": email, "password": password, **extra})


def test_a_person_signs_in_with_e_mail_and_password(org: Org) -> None:
    client = Client()
    response = sign_in(client, org.employee.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:home")
    assert client.get(reverse("dashboards:home")).status_code == 200


def test_the_e_mail_address_is_not_case_sensitive(org: Org) -> None:
    assert sign_in(Client(), org.employee.email.upper(), PASSWORD).status_code == 302


def test_a_wrong_password_gives_a_clear_message_and_is_counted(org: Org) -> None:
    response = sign_in(Client(), org.employee.email, "wrong-password")
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert LoginFailure.objects.count() == 1


def test_after_sign_in_the_user_goes_where_they_were_going_but_never_off_site(org: Org) -> None:
    target = reverse("org:tree")
    assert sign_in(Client(), org.employee.email, PASSWORD, next=target)["Location"] == target
    assert sign_in(Client(), org.employee.email, PASSWORD, next="https://evil.example/")["Location"] == "/"


def test_repeated_failures_lock_the_account_for_the_cool_off_even_with_the_right_password(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SAMTALE_LOGIN_FAILURES_PER_ACCOUNT = 3
    client = Client()
    for _ in range(3):
        sign_in(client, org.employee.email, "wrong")
    locked = sign_in(client, org.employee.email, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.sign_in_throttled").exists()
    # Other accounts from the same address are not affected.
    assert sign_in(Client(), org.leader.email, PASSWORD).status_code == 302
    with time_machine.travel(timezone.now() + settings.SAMTALE_LOGIN_COOLOFF + timedelta(seconds=1)):
        assert sign_in(Client(), org.employee.email, PASSWORD).status_code == 302


def test_many_failures_from_one_address_lock_that_address_for_every_account(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SAMTALE_LOGIN_FAILURES_PER_ADDRESS = 4
    for index in range(4):
        sign_in(Client(), f"guess{index}@test.example", "wrong")
    assert sign_in(Client(), org.employee.email, PASSWORD).status_code == 429
    # A different address is let in.
    assert sign_in(Client(REMOTE_ADDR="10.0.0.9"), org.employee.email, PASSWORD).status_code == 302


def test_the_address_behind_trusted_proxies_is_the_one_the_proxy_saw(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SAMTALE_PROXY_COUNT = 1
    client = Client(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    sign_in(client, org.employee.email, "wrong")
    assert LoginFailure.objects.get().address == "203.0.113.7"


def test_a_successful_sign_in_clears_the_account_s_failures(org: Org) -> None:
    sign_in(Client(), org.employee.email, "wrong")
    sign_in(Client(), org.employee.email, PASSWORD)
    assert LoginFailure.objects.count() == 0


def test_what_was_typed_as_the_e_mail_is_never_stored_in_clear(org: Org) -> None:
    sign_in(Client(), "my-secret-password", "wrong")
    stored = LoginFailure.objects.get()
    assert "my-secret-password" not in stored.account_key
    assert len(stored.account_key) == 64


def test_someone_whose_employment_has_ended_cannot_sign_in(org: Org) -> None:
    org.employee.end_date = timezone.localdate() - timedelta(days=1)
    org.employee.save(update_fields=["end_date"])
    assert sign_in(Client(), org.employee.email, PASSWORD).status_code == 400


def test_sign_out_is_a_post_and_ends_the_session(org: Org) -> None:
    client = org.client("employee")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("dashboards:home")).status_code == 302


def test_a_session_ends_after_a_working_day(org: Org) -> None:
    client = Client()
    sign_in(client, org.employee.email, PASSWORD)
    assert client.get(reverse("dashboards:home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=8, minutes=1)):
        response = client.get(reverse("dashboards:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_session_cookie_ends_when_the_browser_closes(org: Org) -> None:
    client = Client()
    response = sign_in(client, org.employee.email, PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # no expiry: a browser-session cookie
    assert cookie["httponly"]


def _link(body: str) -> str:
    match = re.search(r"http://[^\s]+/(?:password/reset|activate)/[^\s]+/", body)
    assert match, body
    return match.group(0).replace(settings.BASE_URL, "")


def test_a_password_reset_goes_through_the_outbox_and_signs_the_person_in(org: Org) -> None:
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": org.employee.email})
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [org.employee.email]
    link = _link(mail.outbox[0].body)
    page = client.get(link, follow=True)
    assert page.context["validlink"]
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": "Et-nyt-kodeord-42", "new_password2": "Et-nyt-kodeord-42"}
    )
    assert done.status_code == 302
    assert client.get(reverse("dashboards:home")).status_code == 200
    # The link works once.
    assert Client().get(link, follow=True).context["validlink"] is False


def test_the_reset_page_says_the_same_whether_or_not_the_address_exists(org: Org) -> None:
    known = Client().post(reverse("accounts:password_reset"), {"email": org.employee.email})
    unknown = Client().post(reverse("accounts:password_reset"), {"email": "nobody@test.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_asking_for_a_reset_twice_in_a_row_sends_one_e_mail(org: Org) -> None:
    for _ in range(2):
        Client().post(reverse("accounts:password_reset"), {"email": org.employee.email})
    assert len(mail.outbox) == 1


def test_an_imported_person_signs_in_for_the_first_time_through_the_invitation(org: Org) -> None:
    user = org.colleague.user
    user.set_unusable_password()
    user.save()
    invitations_send(actor=org.hr.user, users=[user])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "activate" in message.body
    client = Client()
    page = client.get(_link(message.body), follow=True)
    assert page.context["validlink"]
    client.post(
        page.redirect_chain[-1][0], {"new_password1": "Mit-foerste-kodeord-7", "new_password2": "Mit-foerste-kodeord-7"}
    )
    user.refresh_from_db()
    assert user.has_usable_password()
    assert client.get(reverse("dashboards:home")).status_code == 200


def test_an_invitation_expires_after_its_days(org: Org) -> None:
    user = org.colleague.user
    user.set_unusable_password()
    user.save()
    invitations_send(actor=org.hr.user, users=[user])
    link = _link(mail.outbox[0].body)
    lifetime = timedelta(seconds=settings.SAMTALE_INVITATION_TIMEOUT)
    with time_machine.travel(timezone.now() + lifetime - timedelta(days=1)):
        assert Client().get(link, follow=True).context["validlink"] is True
    with time_machine.travel(timezone.now() + lifetime + timedelta(days=1)):
        assert Client().get(link, follow=True).context["validlink"] is False


def test_an_invitation_link_is_not_a_password_reset_link(org: Org) -> None:
    user = org.colleague.user
    user.set_unusable_password()
    user.save()
    invitations_send(actor=org.hr.user, users=[user])
    link = _link(mail.outbox[0].body).replace("/activate/", "/password/reset/")
    assert Client().get(link, follow=True).context["validlink"] is False


def test_someone_who_already_chose_a_password_gets_no_invitation(org: Org) -> None:
    assert invitations_send(actor=org.hr.user, users=[org.employee.user]) == 0
    assert mail.outbox == []


def test_hr_sends_an_invitation_again_from_the_person_s_page(org: Org) -> None:
    org.colleague.user.set_unusable_password()
    org.colleague.user.save()
    response = org.client("hr").post(reverse("org:person_invite", args=[org.colleague.uuid]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[org.colleague.email]]


@pytest.mark.parametrize("language", ["da", "en"])
def test_e_mails_are_written_in_the_recipient_s_language(org: Org, language: str) -> None:
    org.employee.user.language = language
    org.employee.user.save()
    Client().post(reverse("accounts:password_reset"), {"email": org.employee.email})
    subject = mail.outbox[0].subject
    assert subject == ("Choose a new password for Samtale" if language == "en" else subject)
    if language == "da":
        assert subject != "Choose a new password for Samtale"


def test_the_user_model_stores_e_mail_in_lower_case(db) -> None:  # type: ignore[no-untyped-def]
    user = User.objects.create_user("Søren.Ærø@Test.Example", "x")
    assert user.email == "søren.ærø@test.example"


def test_attempts_are_counted_before_the_password_is_checked_so_a_burst_cannot_slip_through(org, settings) -> None:  # type: ignore[no-untyped-def]
    """Guesses sent at the same moment all see each other: each is stored before it is judged."""
    from samtale.accounts.services import login_attempt_begin

    settings.SAMTALE_LOGIN_FAILURES_PER_ACCOUNT = 5
    verdicts = [login_attempt_begin(email=org.employee.email, address="10.1.1.1") for _ in range(8)]
    assert [v is None for v in verdicts] == [True] * 5 + [False] * 3


def test_the_administration_s_own_sign_in_goes_through_the_throttled_one(org: Org) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/"
    assert Client().post("/admin/login/", {"username": "admin@test.example", "password": PASSWORD}).status_code == 302
    assert "_auth_user_id" not in Client().session


def test_an_ipv6_client_is_counted_by_its_network(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SAMTALE_LOGIN_FAILURES_PER_ADDRESS = 3
    for host in range(3):
        sign_in(Client(REMOTE_ADDR=f"2001:db8:1:2::{host + 1}"), f"guess{host}@test.example", "wrong")
    assert LoginFailure.objects.values("address").distinct().count() == 1
    assert sign_in(Client(REMOTE_ADDR="2001:db8:1:2::99"), org.employee.email, PASSWORD).status_code == 429

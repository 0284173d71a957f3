"""The accounts' background work, run by the task worker."""

from django.tasks import task

from samtale.accounts.models import normalize_email
from samtale.accounts.services import password_reset_send


@task
def send_password_reset(*, email: str) -> int:
    """The lookup behind "forgotten your password": done here, not in the request."""
    return password_reset_send(email=email)


def password_reset_request(*, email: str) -> None:
    """Ask for a link to set a new password. The address is looked up later, by the worker: the
    answer to the person asking is the same, and as fast, whether or not it has an account."""
    send_password_reset.enqueue(email=normalize_email(email))

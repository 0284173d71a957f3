from django.tasks import task

from samtale.accounts.services import password_reset_send


@task
def send_password_reset(*, email: str) -> int:
    """The lookup behind "forgotten your password": done here, not in the request."""
    return password_reset_send(email=email)

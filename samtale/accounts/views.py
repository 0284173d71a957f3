from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from samtale.accounts.forms import LanguageForm, PasswordResetRequestForm, SignInForm
from samtale.accounts.services import login_attempt_begin, login_attempt_succeeded, user_set_language
from samtale.accounts.tasks import password_reset_request
from samtale.accounts.tokens import invitation_token_generator
from samtale.lib.client_address import client_address
from samtale.lib.redirects import safe_next


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    form = SignInForm(request, data=request.POST or None)
    status = 200
    locked = ""
    if request.method == "POST":
        email = request.POST.get("username", "")
        locked_until = login_attempt_begin(email=email, address=client_address(request))
        if locked_until is not None:
            # The password is not even checked: a guesser learns nothing while locked out.
            minutes = max(1, math.ceil((locked_until - timezone.now()).total_seconds() / 60))
            form = SignInForm(request, initial={"username": email})
            locked = ngettext(
                "Too many failed sign-ins. Wait %(minutes)s minute and try again, or set a new password.",
                "Too many failed sign-ins. Wait %(minutes)s minutes and try again, or set a new password.",
                minutes,
            ) % {"minutes": minutes}
            status = 429
        elif form.is_valid():
            user = form.get_user()
            login(request, user)
            login_attempt_succeeded(email=email)
            response = redirect(safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
                max_age=365 * 86400,
            )
            return response
        else:
            # Screen readers go to the error, not back to the e-mail field.
            form.fields["username"].widget.attrs.pop("autofocus", None)
            status = 400
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "locked": locked, "next": safe_next(request, "")},
        status=status,
    )


@csrf_protect
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("dashboards:home")
    post_reset_login = True
    extra_context = {"title": gettext_lazy("Choose a new password")}
    success_message = gettext_lazy("Your new password is saved, and you are signed in.")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        if self.user is not None:
            login_attempt_succeeded(email=self.user.email)
        messages.success(self.request, str(self.success_message))
        return response


class Activate(PasswordResetConfirm):
    """The invitation link of an account created by import: choose a password and you are in."""

    token_generator = invitation_token_generator
    extra_context = {"title": gettext_lazy("Welcome to Samtale: choose your password")}
    success_message = gettext_lazy("Your password is saved. Welcome to Samtale.")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(initial={"language": request.user.language})  # type: ignore[union-attr]
    return render(request, "accounts/account.html", {"language_form": form})


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        messages.success(self.request, _("Your new password is saved."))
        return response


@require_POST
@csrf_protect
def set_language(request: HttpRequest) -> HttpResponse:
    """Choose Danish or English: for the account when signed in, and in a cookie for the sign-in page."""
    form = LanguageForm(request.POST)
    response = redirect(safe_next(request, reverse("dashboards:home")))
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)  # type: ignore[arg-type]
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            max_age=365 * 86400,
        )
    return response

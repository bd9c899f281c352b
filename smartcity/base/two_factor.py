"""Second factor (TOTP) for accounts: enrol, verify after sign-in, remove.

Optional for everybody; compulsory for leads when
``ORCHESTRE_REQUIRE_2FA_FOR_LEADS`` is on (SessionSecurityMiddleware sends
them here until they have enrolled). Codes are checked with django-otp's
TOTPDevice, which throttles repeated failures.
"""

import base64
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from .roles import Role, role_of
from .security import SESSION_OTP_STATE, client_ip, security_log


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(gettext_lazy("Enter the digits shown by your app."))
        return token


class EnrolForm(TokenForm):
    """Enrolling a second factor asks for the account's password again: a
    session left open on a shared computer cannot bind someone's phone."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "token"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["token"].widget.attrs.pop("autofocus", None)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext_lazy("This is not your password."))
        return password


# The secret shown before the first code confirms it: kept in the session,
# so that looking at the page creates no device.
SESSION_OTP_PENDING_KEY = "orchestre_otp_pending_key"

OK, INVALID, THROTTLED = "ok", "invalid", "throttled"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _check_token(device: TOTPDevice, token: str) -> str:
    """OK, INVALID, or THROTTLED (too many recent failures: the code was not
    even checked, so saying "invalid" would mislead)."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _data = locked.verify_is_allowed()
        if not allowed:
            return THROTTLED
        return OK if locked.verify_token(token) else INVALID


def _throttled_message() -> str:
    return _("Too many attempts: wait a few seconds, then enter the code your app shows now.")


def _qr_data_uri(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new secret, and confirm it with a first code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None:
        return render(request, "registration/otp_manage.html", {"device": confirmed, "form": TokenForm()})
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is not None:
        key = pending.key
    else:
        key = request.session.get(SESSION_OTP_PENDING_KEY) or default_key()
        request.session[SESSION_OTP_PENDING_KEY] = key
    device = pending or TOTPDevice(user=user, name="Orchestre", key=key, confirmed=False)
    form = EnrolForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        if device.pk is None:
            device.save()
        result = _check_token(device, form.cleaned_data["token"])
        if result == OK:
            request.session.pop(SESSION_OTP_PENDING_KEY, None)
            device.refresh_from_db()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[SESSION_OTP_STATE] = "verify"
            security_log.warning("second factor enrolled user=%s ip=%s", user.pk, client_ip(request))
            messages.success(request, _("Two-step verification is on."))
            return HttpResponseRedirect(_next_url(request))
        if result == THROTTLED:
            form.add_error("token", _throttled_message())
        else:
            form.add_error("token", _("This code is not valid. Check your device's clock and try again."))
    context = {
        "form": form,
        "qr_code": _qr_data_uri(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
        "required": settings.ORCHESTRE_REQUIRE_2FA_FOR_LEADS and role_of(user) == Role.LEAD,
        "next": _next_url(request),
    }
    return render(request, "registration/otp_setup.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in for accounts with a second factor."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("otp_setup")
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = _check_token(device, form.cleaned_data["token"])
        if result == OK:
            otp_login(request, device)
            security_log.info("second factor success user=%s ip=%s", request.user.pk, client_ip(request))
            return HttpResponseRedirect(_next_url(request))
        security_log.warning("second factor %s user=%s ip=%s", result, request.user.pk, client_ip(request))
        form.add_error("token", _throttled_message() if result == THROTTLED else _("This code is not valid."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)})


@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    """Remove the second factor; a current code is required."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("otp_setup")
    form = TokenForm(request.POST)
    result = _check_token(device, form.cleaned_data["token"]) if form.is_valid() else INVALID
    if result == OK:
        TOTPDevice.objects.filter(user=request.user).delete()
        required = settings.ORCHESTRE_REQUIRE_2FA_FOR_LEADS and role_of(request.user) == Role.LEAD
        request.session[SESSION_OTP_STATE] = "enrol" if required else "none"
        security_log.warning("second factor removed user=%s ip=%s", request.user.pk, client_ip(request))
        messages.success(request, _("Two-step verification is off."))
        return redirect("otp_setup")
    if form.is_valid():
        form.add_error("token", _throttled_message() if result == THROTTLED else _("This code is not valid."))
    return render(request, "registration/otp_manage.html", {"device": device, "form": form}, status=400)

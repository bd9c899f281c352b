from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import DIRECTOR, EVERYONE, LEAD, LEAD_ONLY, NOBODY, PUBLIC, READ, SIGNED_IN, Rule

# A wrong code: the view answers (form error) but nothing is enrolled or removed.
_BAD_TOKEN = {"token": "000000"}

RULES = {
    "health": PUBLIC,
    "set_language": Rule(get=EVERYONE, post=EVERYONE, post_data=lambda w: {"language": "en", "next": "/"}),
    "imports:job_detail": Rule(get=LEAD_ONLY, kwargs=lambda w: {"pk": w["import_job"].pk}),
    "imports:job_confirm": Rule(get=NOBODY, post=LEAD_ONLY, kwargs=lambda w: {"pk": w["import_job"].pk}),
    "imports:template": Rule(get=LEAD_ONLY, kwargs=lambda w: {"kind": "partners"}),
    # Second factor: each person manages their own.
    "otp_setup": Rule(get=SIGNED_IN, post=SIGNED_IN, post_data=lambda w: _BAD_TOKEN),
    "otp_verify": Rule(get=SIGNED_IN, post=SIGNED_IN, post_data=lambda w: _BAD_TOKEN),
    "otp_disable": Rule(get=NOBODY, post=SIGNED_IN, post_data=lambda w: _BAD_TOKEN),
    # Personal API tokens: each person their own (the world's token is the lead's).
    "api_tokens": Rule(get=SIGNED_IN, post=SIGNED_IN, post_data=lambda w: {"name": "BI", "scope": "read"}),
    "api_token_revoke": Rule(get=NOBODY, post=LEAD_ONLY, kwargs=lambda w: {"pk": w["api_token"].pk}),
    # Django's account views: sign-in and password reset are public by design;
    # sign-out is POST only; changing one's password needs a session.
    "login": Rule(get=EVERYONE, post=EVERYONE, post_data=lambda w: {"username": "lead-user", "password": "wrong"}),
    "logout": Rule(get=NOBODY, post=EVERYONE),
    # Single sign-on: public by design, GET only (off in the matrix: back to sign-in).
    "oidc_authentication_init": Rule(get=EVERYONE),
    "oidc_authentication_callback": Rule(get=EVERYONE),
    "password_change": Rule(
        get=SIGNED_IN,
        post=SIGNED_IN,
        post_data=lambda w: {"old_password": "wrong", "new_password1": "N3w-pass!x", "new_password2": "N3w-pass!x"},
    ),
    "password_change_done": READ,
    "password_reset": Rule(get=EVERYONE, post=EVERYONE, post_data=lambda w: {"email": "nobody@example.org"}),
    "password_reset_done": PUBLIC,
    "password_reset_confirm": Rule(
        get=EVERYONE,
        post=EVERYONE,
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
        post_data=lambda w: {"new_password1": "N3w-pass!x", "new_password2": "N3w-pass!x"},
    ),
    "password_reset_complete": PUBLIC,
    # Documents: the world's is on the director's own project; anyone who reads it downloads it.
    "documents:add": Rule(
        get=frozenset({LEAD, DIRECTOR}),
        post=frozenset({LEAD, DIRECTOR}),
        kwargs=lambda w: {"kind": "projet", "pk": w["own_project"].pk},
        post_data=lambda w: {"title": "Étude", "kind": "study", "file": SimpleUploadedFile("e.txt", b"texte\n")},
    ),
    "documents:download": Rule(kwargs=lambda w: {"pk": w["document"].pk}),
    "documents:archive": Rule(get=NOBODY, post=LEAD_ONLY, kwargs=lambda w: {"pk": w["document"].pk}),
    "documents:delete": Rule(get=LEAD_ONLY, post=LEAD_ONLY, kwargs=lambda w: {"pk": w["document"].pk}),
}

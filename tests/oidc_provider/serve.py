"""Start the test OpenID Connect provider: migrate a fresh SQLite database,
create its people and Orchestre's client, serve on a free port of
127.0.0.1 and print ``READY <port>``.

    OIDC_PROVIDER_DB=/tmp/p.sqlite3 python -m tests.oidc_provider.serve <client_id> <secret> <redirect_uri>
"""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

PEOPLE = [
    # username, password, e-mail, first name, last name
    ("agent", "agent-password", "Ines.Morvan@orvalle.example", "Inès", "Morvan"),
    ("stranger", "stranger-password", "someone@elsewhere.example", "Some", "One"),
    ("unverified", "unverified-password", "lead@orvalle.example", "Not", "Unverified"),
]


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    client_id, client_secret, redirect_uri = sys.argv[1:4]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, password, email, first, last in PEOPLE:
        User.objects.create_user(username, email=email, password=password, first_name=first, last_name=last)
    Application.objects.create(
        name="Orchestre",
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=Server, handler_class=QuietHandler)
    print(f"READY {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

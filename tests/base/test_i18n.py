"""The interface is French by default: every string must be translated, and
the committed .mo files must match their .po sources."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _untranslated(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def test_french_catalogue_is_complete():
    assert _untranslated(polib.pofile(str(PO))) == []


def test_compiled_catalogue_matches_its_source():
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(e.msgstr_plural.items()))
        for e in polib.pofile(str(PO))
        if not e.obsolete
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(e.msgstr_plural.items()))
        for e in polib.mofile(str(PO.with_suffix(".mo")))
    }
    compiled.pop((None, ""), None)
    source.pop((None, ""), None)
    assert compiled == source, "run `python manage.py compilemessages --ignore=.venv`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (apt-get install gettext)")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Runs makemessages on a copy of the tree: no new untranslated string may appear."""
    base = Path(settings.BASE_DIR)
    for name in ["manage.py", "smartcity", "programmes", "partners", "governance", "templates", "locale"]:
        source = base / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "smartcity.test_settings"},
    )
    missing = _untranslated(polib.pofile(str(tmp_path / "locale/fr/LC_MESSAGES/django.po")))
    assert missing == [], f"untranslated strings (run makemessages, translate, compilemessages): {missing}"


def test_pages_are_in_french_by_default_and_english_on_request(viewer_client):
    assert "Portefeuille smart city" in viewer_client.get("/portefeuille/").content.decode()
    viewer_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Smart-city portfolio" in viewer_client.get("/portefeuille/").content.decode()


def test_an_english_browser_still_gets_french_until_the_person_chooses(viewer_client):
    page = viewer_client.get("/portefeuille/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Portefeuille smart city" in page

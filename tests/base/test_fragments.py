"""HTML written in Python goes through format_html: a hostile value comes out
escaped, in the text and in the attributes."""

from django import forms

from smartcity.base.forms import FastSelect, FastSelectMultiple

HOSTILE = "\"><script>alert(1)</script>'&"
ESCAPED = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;&amp;"


def test_fast_select_escapes_values_and_labels():
    widget = FastSelect(choices=[(HOSTILE, HOSTILE), ("b", "Bus")], attrs={"data-x": HOSTILE})
    html = widget.render(f"name{HOSTILE}", HOSTILE)
    assert "<script>" not in html
    assert f'<option value="{ESCAPED}" selected>{ESCAPED}</option>' in html
    assert '<option value="b">Bus</option>' in html
    assert f'name="name{ESCAPED}"' in html and f'data-x="{ESCAPED}"' in html


def test_fast_select_renders_like_django_select():
    choices = [("", "—"), ("1", "Voirie"), ("2", "Culture & patrimoine")]
    fast = FastSelectMultiple(choices=choices).render("s", ["2"], attrs={"id": "id_s"})
    plain = forms.SelectMultiple(choices=choices).render("s", ["2"], attrs={"id": "id_s"})
    assert "".join(fast.split()) == "".join(plain.split())

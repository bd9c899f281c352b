"""HTML written in Python goes through format_html: a hostile value comes out
escaped, in the text and in the attributes."""

from django import forms

from smartcity.base.forms import FastSelect, FastSelectMultiple, InlineRenderMixin

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


KINDS = ("Select", "NumberInput", "DateInput", "Textarea", "CheckboxInput", "HiddenInput")
# The inline-rendered twin of each Django widget kind.
INLINE = {kind: type(kind, (InlineRenderMixin, getattr(forms, kind)), {}) for kind in KINDS}


def test_inline_widgets_write_what_django_templates_write():
    attrs = {"class": "form-control", "aria-invalid": "true", "required": True, "disabled": False, "data-x": HOSTILE}
    choices = [("", "—"), ("on_track", "Au vert"), (HOSTILE, HOSTILE)]
    cases = [
        ("Select", {"choices": choices}, [None, "", "on_track", HOSTILE]),
        ("NumberInput", {"attrs": {"step": 5, "min": 0}}, [None, 0, 35, HOSTILE]),
        ("DateInput", {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}, [None, "2026-12-01"]),
        ("Textarea", {"attrs": {"rows": 2}}, [None, "", "Retard\nsur le lot 2", HOSTILE]),
        ("CheckboxInput", {}, [None, False, True, "on"]),
        ("HiddenInput", {}, [None, 12, HOSTILE]),
    ]
    for kind, kwargs, values in cases:
        for value in values:
            inline = INLINE[kind](**kwargs).render("p1-field", value, attrs={**attrs, "id": "id_p1"})
            plain = getattr(forms, kind)(**kwargs).render("p1-field", value, attrs={**attrs, "id": "id_p1"})
            assert inline == plain, (kind, value)
            assert "<script>" not in inline

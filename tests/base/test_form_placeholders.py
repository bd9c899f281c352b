"""Empty choices read "— choose —", never Django's "---------"; a field
naming its own empty choice keeps it."""

import pytest
from django import forms

from partners.models import Service
from smartcity.base.forms import CHOOSE, ReadablePlaceholdersMixin


class _Form(ReadablePlaceholdersMixin, forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none(), required=False)
    named = forms.ModelChoiceField(queryset=Service.objects.none(), required=False, empty_label="Aucun service")
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
    fixed = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])


@pytest.mark.django_db
def test_empty_choices_are_readable():
    form = _Form()
    html = str(form)
    assert "---------" not in html
    assert str(form.fields["service"].empty_label) == str(form.fields["kind"].choices[0][1]) == str(CHOOSE)
    assert form.fields["named"].empty_label == "Aucun service"
    assert form.fields["fixed"].choices == [("a", "A"), ("b", "B")]

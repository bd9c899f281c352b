import pytest
from django.utils import translation

from programmes.filters import ProjectFilter
from programmes.models import Health, Phase, Project
from programmes.templatetags.reporting_tags import health_label, phase_label
from smartcity.base.forms import PICK_FIRST, FastSelect
from tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 60])
def test_project_list_is_paginated_with_constant_queries(lead_client, size, django_assert_num_queries):
    factories.ProjectFactory.create_batch(size)
    # The same count whatever the size (the filter form's choices included);
    # the breakdown is in test_workspace_queries.
    with django_assert_num_queries(14):
        response = lead_client.get("/projets/")
    assert response.status_code == 200
    rows = response.content.decode().count("<tr>") - 1
    assert rows == min(size, 50)
    if size > 50:
        assert 'href="?page=2"' in response.content.decode()
        assert lead_client.get("/projets/?page=2").content.decode().count("<tr>") - 1 == size - 50


@pytest.mark.django_db
def test_filter_selects_read_as_values_render_as_before():
    """The short model selects read their options as values (``ValuesSelect``):
    the same HTML as ``FastSelect`` over model instances, escaping included."""
    official = factories.ElectedOfficialFactory(first_name="Anne", last_name="O'Hara")
    form = ProjectFilter({"sponsor": str(official.pk)}, queryset=Project.objects.all()).form
    for name in ("sponsor", "data_asset"):
        widget = form.fields[name].widget
        before = FastSelect(attrs=widget.attrs)
        before.choices = widget.choices
        html = str(form[name])
        assert html == before.render(form[name].html_name, form[name].value(), {"id": form[name].auto_id}), name
    assert f'<option value="{official.pk}" selected>Anne O&#x27;Hara</option>' in str(form["sponsor"])


@pytest.mark.django_db
def test_long_filters_are_bounded_pickers():
    """Programmes, services and partners may number in the hundreds: their
    filters list the chosen one and the first few (search for the others),
    escaped, whatever the size of the list."""
    service = factories.ServiceFactory(name='Voirie <script>"&')
    factories.ServiceFactory.create_batch(PICK_FIRST + 5)
    factories.PartnerFactory(name="Lumen & fils")
    form = ProjectFilter({"service": str(service.pk)}, queryset=Project.objects.all()).form
    for name in ("programme", "lead_service", "service", "partner"):
        html = str(form[name])
        assert "data-picker=" in html and "<script>" not in html, name
        assert html.count("<option") <= PICK_FIRST + 2, name
    assert f'<option value="{service.pk}" selected>Voirie &lt;script&gt;&quot;&amp;</option>' in str(form["service"])
    searched = ProjectFilter({"partner_q": "lumen"}, queryset=Project.objects.all()).form
    assert ">Lumen &amp; fils</option>" in str(searched["partner"])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_phase_and_health_labels_are_the_display_values(language):
    with translation.override(language):
        for phase in Phase:
            assert phase_label(phase.value) == Project(phase=phase.value).get_phase_display()
        for health in Health:
            assert health_label(health.value) == Project(health=health.value).get_health_display()
        assert phase_label("gone") == Project(phase="gone").get_phase_display()

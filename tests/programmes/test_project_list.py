import pytest

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

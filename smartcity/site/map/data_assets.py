"""Data assets on the link map (issue 15): each dataset is a node linked to
the projects that produce or use it and to the partner that holds it.
Kept apart from ``graph.py`` so that the map's own rework and this addition
meet in one call (``add_data_assets``) and one entry per type table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from programmes.models import DataAsset

from .structure import Graph, Node, url_maker

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from programmes.models import Project


def add_data_assets(graph: Graph, projects: QuerySet[Project]) -> None:
    """The datasets produced or used by ``projects`` (one query)."""
    from django.db.models import CharField, Value

    asset_url = url_maker(DataAsset)
    holders = {value: str(label) for value, label in DataAsset.Holder.choices}
    fields = ("project_id", "dataasset_id", "dataasset__name", "dataasset__holder", "dataasset__holder_partner_id")
    produced = (
        DataAsset.produced_by.through.objects.filter(project__in=projects)
        .annotate(kind=Value("produces", output_field=CharField()))
        .values_list(*fields, "kind")
    )
    used = (
        DataAsset.used_by.through.objects.filter(project__in=projects)
        .annotate(kind=Value("uses", output_field=CharField()))
        .values_list(*fields, "kind")
    )
    rows = sorted(produced.union(used, all=True), key=lambda row: (row[2], row[0], row[5]))
    for project, asset, name, holder, partner_id, kind in rows:
        key = f"data:{asset}"
        if key not in graph.nodes:
            detail = holders.get(holder, holder)
            group = f"cluster:data:{holder}"  # when there are too many to draw: by holder
            graph.add(Node(key, "data", asset, name, name, asset_url(asset), group=group, detail=detail))
            if partner_id:
                graph.link(key, f"partner:{partner_id}", "holder")
        graph.link(f"project:{project}", key, kind)

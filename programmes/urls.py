from django.urls import path

from . import plan_views, relationship_views, taxonomy_views, usefulness_views, views

app_name = "programmes"

urlpatterns = [
    path("portefeuille/", views.portfolio_overview, name="portfolio"),
    path("projets/", views.project_list, name="project_list"),
    path("choix/programmes/", views.programme_pick, name="programme_pick"),
    path("choix/projets/", views.project_pick, name="project_pick"),
    path("projets/export/", views.project_export, name="project_export"),
    path("projets/nouveau/", views.project_create, name="project_create"),
    path("projets/import/", views.project_import, name="project_import"),
    path("projets/<int:pk>/", views.project_detail, name="project_detail"),
    path("projets/<int:pk>/modifier/", views.project_update, name="project_update"),
    path("projets/<int:pk>/archiver/", views.project_archive, name="project_archive"),
    path("projets/<int:pk>/services/", views.project_service_link, name="project_service_link"),
    path(
        "projets/<int:pk>/services/<int:service_pk>/retirer/",
        views.project_service_unlink,
        name="project_service_unlink",
    ),
    path("projets/<int:pk>/partenaires/", views.project_partner_link, name="project_partner_link"),
    path(
        "projets/<int:pk>/partenaires/<int:link_pk>/retirer/",
        views.project_partner_unlink,
        name="project_partner_unlink",
    ),
    path("projets/<int:pk>/domaines/", views.project_domain_link, name="project_domain_link"),
    path(
        "projets/<int:pk>/domaines/<int:domain_pk>/retirer/",
        views.project_domain_unlink,
        name="project_domain_unlink",
    ),
    path("projets/<int:pk>/elu/", views.project_sponsor_set, name="project_sponsor_set"),
    # --- Milestones, roadmap and history (issue 13) ---
    path("projets/<int:pk>/jalons/nouveau/", views.milestone_create, name="milestone_create"),
    path("jalons/<int:pk>/modifier/", views.milestone_update, name="milestone_update"),
    path("feuille-de-route/", views.roadmap, name="roadmap"),
    path("projets/<int:pk>/historique/", views.project_history, name="project_history"),
    path("programmes/<int:pk>/historique/", views.programme_history, name="programme_history"),
    # --- end of issue 13 ---
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/nouveau/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/modifier/", views.programme_update, name="programme_update"),
    path("programmes/<int:pk>/archiver/", views.programme_archive, name="programme_archive"),
    path("domaines/", views.domain_list, name="domain_list"),
    path("domaines/<slug:slug>/", views.domain_detail, name="domain_detail"),
    # --- Status reporting (issue 4) ---
    path("mon-service/", views.my_service, name="my_service"),
    path("mon-service/rapport/", views.service_report, name="service_report"),
    path("projets/<int:pk>/rapport/", views.project_report, name="project_report"),
    path(
        "projets/<int:pk>/rapport/sans-changement/",
        views.project_report_no_change,
        name="project_report_no_change",
    ),
    path("suivi/", views.reporting_overview, name="reporting_overview"),
    path("suivi/cycle/suivant/", views.cycle_start_next, name="cycle_start_next"),
    path("suivi/cycle/reglages/", views.cycle_settings, name="cycle_settings"),
    # --- end of status reporting ---
    # --- Partner relationships and data assets (issue 15) ---
    path("conventions/", relationship_views.agreement_list, name="agreement_list"),
    path("conventions/nouvelle/", relationship_views.agreement_create, name="agreement_create"),
    path("conventions/<int:pk>/", relationship_views.agreement_detail, name="agreement_detail"),
    path("conventions/<int:pk>/modifier/", relationship_views.agreement_update, name="agreement_update"),
    path("donnees/", relationship_views.data_asset_list, name="data_asset_list"),
    path("donnees/nouveau/", relationship_views.data_asset_create, name="data_asset_create"),
    path("donnees/<int:pk>/", relationship_views.data_asset_detail, name="data_asset_detail"),
    path("donnees/<int:pk>/modifier/", relationship_views.data_asset_update, name="data_asset_update"),
    path("relations/", relationship_views.relationship_moves, name="relationship_moves"),
    path(
        "projets/<int:pk>/partenaires/<int:link_pk>/changer/",
        relationship_views.project_partner_change,
        name="project_partner_change",
    ),
    # --- end of partner relationships ---
    # --- Indicators and proof of usefulness (issue 14) ---
    path("projets/<int:pk>/indicateurs/nouveau/", usefulness_views.indicator_create, name="indicator_create"),
    path(
        "projets/<int:pk>/indicateurs/<int:indicator_pk>/modifier/",
        usefulness_views.indicator_update,
        name="indicator_update",
    ),
    path(
        "projets/<int:pk>/indicateurs/<int:indicator_pk>/valeur/",
        usefulness_views.indicator_value_create,
        name="indicator_value_create",
    ),
    path("projets/<int:pk>/utilite/", usefulness_views.usefulness_sheet, name="usefulness_sheet"),
    path("projets/<int:pk>/utilite/modifier/", usefulness_views.usefulness_sheet_edit, name="usefulness_sheet_edit"),
    path("utilite/", usefulness_views.usefulness_summary, name="usefulness_summary"),
    # --- The plan, its objectives, ideas and proposals (issue 13) ---
    path("plan/", plan_views.plan, name="plan"),
    path("plan/modifier/", plan_views.plan_edit, name="plan_edit"),
    path("plan/objectifs/nouveau/", plan_views.objective_create, name="objective_create"),
    path("plan/objectifs/<int:pk>/", plan_views.objective_detail, name="objective_detail"),
    path("plan/objectifs/<int:pk>/modifier/", plan_views.objective_update, name="objective_update"),
    path("plan/objectifs/<int:pk>/archiver/", plan_views.objective_archive, name="objective_archive"),
    path("plan/objectifs/<int:pk>/cibles/nouvelle/", plan_views.target_create, name="target_create"),
    path("plan/cibles/<int:pk>/modifier/", plan_views.target_update, name="target_update"),
    path("idees/", plan_views.idea_pipeline, name="idea_pipeline"),
    path("idees/les-miennes/", plan_views.my_ideas, name="my_ideas"),
    path("idees/nouvelle/", plan_views.idea_create, name="idea_create"),
    path("idees/proposition/nouvelle/", plan_views.proposal_create, name="proposal_create"),
    path("idees/<int:pk>/", plan_views.idea_detail, name="idea_detail"),
    path("idees/<int:pk>/modifier/", plan_views.idea_update, name="idea_update"),
    path("idees/<int:pk>/decider/", plan_views.idea_move, name="idea_move"),
    path("idees/<int:pk>/accepter/", plan_views.idea_accept, name="idea_accept"),
    # --- end of the plan ---
    # --- The editable lists: domains, phases, health levels (issue 13) ---
    path("listes/", taxonomy_views.taxonomy, name="taxonomy"),
    path("listes/<slug:kind>/nouveau/", taxonomy_views.taxonomy_create, name="taxonomy_create"),
    path("listes/<slug:kind>/<int:pk>/modifier/", taxonomy_views.taxonomy_update, name="taxonomy_update"),
    path("listes/<slug:kind>/<int:pk>/deplacer/", taxonomy_views.taxonomy_move, name="taxonomy_move"),
    path("listes/<slug:kind>/<int:pk>/archiver/", taxonomy_views.taxonomy_archive, name="taxonomy_archive"),
]

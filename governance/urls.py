from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("tableau-de-bord/", views.official_dashboard, name="dashboard"),
    path("elus/", views.official_list, name="official_list"),
    path("elus/nouveau/", views.official_create, name="official_create"),
    path("elus/<int:pk>/", views.official_detail, name="official_detail"),
    path("elus/<int:pk>/modifier/", views.official_update, name="official_update"),
    path("elus/<int:pk>/archiver/", views.official_archive, name="official_archive"),
    path("comites/", views.committee_list, name="committee_list"),
    path("comites/nouveau/", views.committee_create, name="committee_create"),
    path("comites/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("comites/<int:pk>/modifier/", views.committee_edit, name="committee_edit"),
    path("comites/<int:pk>/seances/nouvelle/", views.meeting_create, name="meeting_create"),
    path("comites/<int:pk>/calendrier/renouveler/", views.committee_calendar_reset, name="committee_calendar_reset"),
    path("comites/<int:pk>/calendrier/<str:token>.ics", views.committee_feed, name="committee_feed"),
    path("seances/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("seances/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("seances/<int:pk>/historique/", views.meeting_history, name="meeting_history"),
    path("seances/<int:pk>/tenue/", views.meeting_mark_held, name="meeting_mark_held"),
    path("seances/<int:pk>/approuver/", views.meeting_approve, name="meeting_approve"),
    path("seances/<int:pk>/annuler/", views.meeting_cancel, name="meeting_cancel"),
    path("seances/<int:pk>/seance.ics", views.meeting_ics, name="meeting_ics"),
    path("seances/<int:pk>/dossier/", views.meeting_pack, name="meeting_pack"),
    path("seances/<int:pk>/dossier.pdf", views.meeting_pack_pdf, name="meeting_pack_pdf"),
    path("seances/<int:pk>/dossier/envoyer/", views.pack_send, name="pack_send"),
    path("seances/<int:pk>/dossier/envois/<int:delivery_pk>/renvoyer/", views.pack_resend, name="pack_resend"),
    path("seances/<int:pk>/dossier/figer/", views.pack_freeze, name="pack_freeze"),
    path("seances/<int:pk>/ordre-du-jour/ajouter/", views.agenda_item_add, name="agenda_item_add"),
    path("seances/<int:pk>/ordre-du-jour/proposer/", views.agenda_proposal_add, name="agenda_proposal_add"),
    path("ordre-du-jour/<int:pk>/modifier/", views.agenda_item_edit, name="agenda_item_edit"),
    path("ordre-du-jour/<int:pk>/deplacer/", views.agenda_item_move, name="agenda_item_move"),
    path("ordre-du-jour/<int:pk>/supprimer/", views.agenda_item_delete, name="agenda_item_delete"),
    path("seances/<int:pk>/presences/", views.attendance_edit, name="attendance_edit"),
    path("seances/<int:pk>/decisions/ajouter/", views.decision_add, name="decision_add"),
    path("seances/<int:pk>/actions/ajouter/", views.action_add, name="action_add"),
    path("seances/<int:pk>/actions/<int:action_pk>/clore/", views.action_close, name="action_close"),
    path("seances/<int:pk>/rectificatifs/ajouter/", views.amendment_add, name="amendment_add"),
    path("decisions/", views.decision_register, name="decision_register"),
]

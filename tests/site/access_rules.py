from tests.access import EVERYONE, LEAD_ONLY, NOBODY, PUBLIC, READ, Rule

# The link map: read-only, everybody signed in.
RULES = {
    "site:map": READ,
    "site:map_tables": READ,
    "site:matrix": READ,
    "site:orphans": READ,
    "site:graph_graphml": READ,
    "site:graph_edges_csv": READ,
    "site:graph_nodes_csv": READ,
    "home": READ,
    "site:engagement": READ,
    "site:engagement_heat_map": READ,
    # Webhooks: the lead's pages only (the log holds other systems' addresses).
    "site:webhooks": Rule(get=LEAD_ONLY),
    "site:webhook_create": Rule(
        get=LEAD_ONLY,
        post=LEAD_ONLY,
        post_data=lambda w: {"name": "SIG", "url": "https://sig.orvalle.example/hook", "events": ["project.created"]},
    ),
    "site:webhook_detail": Rule(get=LEAD_ONLY, kwargs=lambda w: {"pk": w["webhook"].pk}),
    "site:webhook_update": Rule(
        get=LEAD_ONLY,
        post=LEAD_ONLY,
        kwargs=lambda w: {"pk": w["webhook"].pk},
        post_data=lambda w: {
            "name": "Renamed",
            "url": w["webhook"].url,
            "events": ["meeting.held"],
            "is_active": "on",
            "token": str(type(w["webhook"]).objects.get(pk=w["webhook"].pk).version),
        },
    ),
    "site:webhook_secret": Rule(get=NOBODY, post=LEAD_ONLY, kwargs=lambda w: {"pk": w["webhook"].pk}),
    "site:webhook_resend": Rule(get=NOBODY, post=LEAD_ONLY, kwargs=lambda w: {"pk": w["webhook_delivery"].pk}),
    "site:service_sheet": Rule(kwargs=lambda w: {"pk": w["service"].pk}),
    # Issue 15: the public face, for everybody without sign-in (tests/site/test_public.py
    # proves nothing else answers an anonymous visitor)…
    "site:public_portfolio": PUBLIC,
    "site:public_project": Rule(get=EVERYONE, kwargs=lambda w: {"pk": w["public_project"].pk}),
    "site:public_links": PUBLIC,
    "site:public_data": PUBLIC,
    "site:public_projects_json": PUBLIC,
    "site:public_projects_csv": PUBLIC,
    "site:public_schema_json": PUBLIC,
    # … and personal data: the register for everybody signed in, the tools for the lead.
    "site:gdpr_register": READ,
    "site:gdpr_review": Rule(get=LEAD_ONLY),
    "site:gdpr_person": Rule(get=LEAD_ONLY, kwargs=lambda w: {"kind": "contact", "pk": w["contact"].pk}),
    "site:gdpr_export": Rule(get=NOBODY, post=LEAD_ONLY, kwargs=lambda w: {"kind": "contact", "pk": w["contact"].pk}),
    "site:gdpr_erase": Rule(
        get=LEAD_ONLY,
        post=LEAD_ONLY,
        kwargs=lambda w: {"kind": "contact", "pk": w["contact"].pk},
        post_data=lambda w: {"confirm": "yes"},
    ),
    "site:gdpr_confirm": Rule(get=NOBODY, post=LEAD_ONLY, kwargs=lambda w: {"pk": w["contact"].pk}),
}

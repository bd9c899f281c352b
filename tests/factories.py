"""factory_boy factories for every core model."""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from governance.models import ActionItem, AgendaItem, Committee, Decision, Meeting
from partners.models import ContactPerson, Domain, ElectedOfficial, Partner, Service
from programmes.models import Milestone, Programme, Project, ProjectPartner, RelationshipKind, StatusReport
from smartcity.base.models import ImportJob


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("secret-password")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Domaine {n}")
    slug = factory.Sequence(lambda n: f"domaine-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service n°{n}")
    acronym = factory.Sequence(lambda n: f"S{n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    category = Partner.Category.COMPANY


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    partner = factory.SubFactory(PartnerFactory)
    first_name = "Jeanne"
    last_name = factory.Sequence(lambda n: f"Contact{n}")


class ElectedOfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ElectedOfficial

    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Élue{n}")
    delegation = "Innovation"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"PRJ-{n:04d}")
    name = factory.Sequence(lambda n: f"Projet {n}")
    lead_service = factory.SubFactory(ServiceFactory)

    @factory.post_generation
    def created_at(self, create, extracted, **kwargs):
        """Registered a year ago unless told: a project created within the
        current reporting cycle is *new* (``programmes.rules``), not stale."""
        if create:
            when = extracted or timezone.now() - datetime.timedelta(days=365)
            Project.objects.filter(pk=self.pk).update(created_at=when)
            self.created_at = when

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if create and extracted:
            self.domains.set(extracted)


class ProjectPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPartner

    project = factory.SubFactory(ProjectFactory)
    partner = factory.SubFactory(PartnerFactory)
    relationship = RelationshipKind.PARTNERSHIP


class StatusReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusReport

    project = factory.SubFactory(ProjectFactory)
    created_at = factory.LazyFunction(timezone.now)
    health = "on_track"
    progress = 10


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = "Jalon"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    reached_on = None
    status = factory.LazyAttribute(lambda o: "done" if o.reached_on else "planned")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Comité {n}")


class MeetingFactory(factory.Factory):
    """Meetings are numbered by the service, never by hand."""

    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))

    @classmethod
    def _create(cls, model_class, committee, starts_at, **kwargs):
        from governance.services import meeting_create

        status = kwargs.pop("status", None)
        meeting = meeting_create(committee=committee, data={"starts_at": starts_at, **kwargs})
        if status:
            meeting.status = status
            meeting.save(update_fields=["status"])
        return meeting


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = "Point d'étape"


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = "Le comité valide."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    title = "Préparer une note"


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A checked partner import waiting for confirmation."""

    class Meta:
        model = ImportJob

    kind = "partners"
    status = ImportJob.Status.PREVIEW
    filename = "partenaires.csv"
    rows = factory.LazyFunction(lambda: [{"name": "Partenaire importé", "category": "research"}])
    total_rows = 1
    report = factory.LazyFunction(lambda: {"counts": {"create": 1, "update": 0, "error": 0}, "rows": []})

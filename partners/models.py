from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcity.base.personal_data import PersonalData


class DomainIcon(models.TextChoices):
    """The bundled icons a domain may show (``static/img/domain-icons.svg``)."""

    BUS = "bus", _("Bus")
    HOUSE = "house", _("House")
    BOLT = "bolt", _("Lightning")
    LEAF = "leaf", _("Leaf")
    LANDMARK = "landmark", _("Town hall")
    BOOK = "book", _("Book")
    MUSIC = "music", _("Music note")
    DROP = "drop", _("Water drop")
    SHIELD = "shield", _("Shield")
    HEART = "heart", _("Heart")
    WIFI = "wifi", _("Network")
    PEOPLE = "people", _("People")


class Domain(models.Model):
    """A field of city action (mobility, housing, …). Data, not an enum:
    the lead adds, renames, orders and archives them; an archived domain
    stays on its projects and leaves the pickers."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    color = models.CharField(
        _("colour"),
        max_length=7,
        default="#6c757d",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour is written #rrggbb."))],
    )
    icon = models.CharField(_("icon"), max_length=20, choices=DomainIcon.choices, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)
    # Bumped by every edit through services.py (optimistic concurrency).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:domain_detail", args=[self.slug])


class AcculturationLevel(models.IntegerChoices):
    """How far a service has taken the smart-city approach on board.

    1 unaware: has not heard of the programme or sees no link with its work;
    2 aware: knows the programme and its aims, takes part in nothing yet;
    3 involved: attends meetings, answers requests, follows a project;
    4 contributor: brings people, data or budget to projects it does not lead;
    5 driver: leads projects and brings others along.
    (Before the five-level scale: 1 not yet involved, 2 aware, 3 engaged,
    4 driving force; migration 0005 maps them to 1, 2, 4, 5.)"""

    UNAWARE = 1, _("Unaware")
    AWARE = 2, _("Aware")
    INVOLVED = 3, _("Involved")
    CONTRIBUTOR = 4, _("Contributor")
    DRIVER = 5, _("Driver")

    @classmethod
    def descriptions(cls) -> dict[int, str]:
        return {
            cls.UNAWARE: _("Has not heard of the programme or sees no link with its work."),
            cls.AWARE: _("Knows the programme and its aims, takes part in nothing yet."),
            cls.INVOLVED: _("Attends meetings, answers requests, follows a project."),
            cls.CONTRIBUTOR: _("Brings people, data or budget to projects it does not lead."),
            cls.DRIVER: _("Leads projects and brings other services along."),
        }


class Service(models.Model):
    """An internal service or direction of the metropolis."""

    class Kind(models.TextChoices):
        DIRECTION = "direction", _("Direction")
        SERVICE = "service", _("Service")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent direction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("director"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directed_services",
    )
    acculturation = models.PositiveSmallIntegerField(
        _("acculturation level"),
        choices=AcculturationLevel.choices,
        default=AcculturationLevel.UNAWARE,
    )
    email = models.EmailField(_("e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("acronym"), name="service_acronym_unique_ci"),
            models.UniqueConstraint(Lower("name"), name="service_name_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(acculturation__gte=1, acculturation__lte=5),
                name="service_acculturation_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:service_detail", args=[self.pk])


class AcculturationChange(models.Model):
    """A level set by the lead for a service, on a date, for a reason: the
    service's trajectory on the acculturation scale."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="acculturation_changes"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=AcculturationLevel.choices)
    previous_level = models.PositiveSmallIntegerField(
        _("previous level"), choices=AcculturationLevel.choices, null=True, blank=True
    )
    changed_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acculturation change")
        verbose_name_plural = _("acculturation changes")
        ordering = ["changed_on", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="acculturation_change_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.get_level_display()} ({self.changed_on})"

    @property
    def direction(self) -> int:
        """+1 up, -1 down, 0 first level or same."""
        if self.previous_level is None or self.previous_level == self.level:
            return 0
        return 1 if self.level > self.previous_level else -1


class Partner(models.Model):
    """An external organisation the city works with."""

    class Category(models.TextChoices):
        HIGHER_EDUCATION = "higher_education", _("Higher education")
        RESEARCH = "research", _("Research")
        COMPANY = "company", _("Company")
        CLUSTER = "cluster", _("Competitiveness cluster")
        FRENCH_TECH = "french_tech", _("French Tech")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        PUBLIC_BODY = "public_body", _("Public body")
        DELEGATED_OPERATOR = "delegated_operator", _("Delegated operator")

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="partner_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:partner_detail", args=[self.pk])


class ContactPerson(models.Model):
    """A person at a partner. Personal data: keep only what the work needs (GDPR)."""

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    lawful_basis = models.TextField(
        _("lawful basis"),
        blank=True,
        help_text=_("Why the city may hold this person's details (e.g. legitimate interest: project partner)."),
    )
    last_confirmed_on = models.DateField(
        _("last confirmed"),
        null=True,
        blank=True,
        help_text=_("When the details were last confirmed as still needed and accurate."),
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    personal_data = PersonalData(
        fields=("first_name", "last_name", "job_title", "email", "phone", "notes", "lawful_basis"),
        purpose=_("Reach the people the city works with at each partner organisation."),
        retention=_(
            "While the person is the partner's contact; reviewed when not confirmed for "
            "ORCHESTRE_CONTACT_REVIEW_DAYS days, erased on request."
        ),
        lawful_basis=_("Public task and legitimate interest (art. 6.1 e and f GDPR)."),
        erase={"first_name": "—", "last_name": "Erased contact #{pk}"},
    )

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ElectedOfficial(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    title = models.CharField(_("title"), max_length=200, blank=True)
    delegation = models.CharField(_("delegation"), max_length=300)
    domains = models.ManyToManyField(Domain, verbose_name=_("domains"), related_name="officials", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="official",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("in office"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[domains])

    personal_data = PersonalData(
        fields=("first_name", "last_name", "title", "delegation", "email"),
        purpose=_("Show who sponsors projects and sits on committees."),
        retention=_("While in office; kept afterwards as the public record of the mandate."),
        lawful_basis=_("Public task (art. 6.1 e GDPR); elected officials' mandates are public."),
    )

    class Meta:
        verbose_name = _("elected official")
        verbose_name_plural = _("elected officials")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("governance:official_detail", args=[self.pk])


class Interaction(models.Model):
    """One exchange between the city and a partner (a meeting, a call, a
    site visit…): when, who took part on each side, what was said and what
    follows. The partner's last exchange says when the city last spoke to it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        EVENT = "event", _("Event")
        SITE_VISIT = "site_visit", _("Site visit")
        AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="interactions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    city_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for the city"),
        help_text=_("Who spoke for the city."),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_interactions",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("other city participants"), blank=True, related_name="+"
    )
    services = models.ManyToManyField(
        Service, verbose_name=_("services involved"), blank=True, related_name="partner_interactions"
    )
    contacts = models.ManyToManyField(
        ContactPerson, verbose_name=_("partner's people"), blank=True, related_name="interactions"
    )
    note = models.TextField(_("note"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_on = models.DateField(_("follow-up by"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["partner", "-happened_on"], name="interaction_partner_date")]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_kind_display()} ({self.happened_on})"

    def get_absolute_url(self) -> str:
        return reverse("partners:partner_detail", args=[self.partner_id]) + "#interactions"


# --- Awareness actions (issue 14) --------------------------------------------


class AwarenessAction(models.Model):
    """Something the lead did to bring services on board (a workshop, a
    demonstration, a training, a visit), with whom, what came of it and what
    to do next. A date in the future is a planned action."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        PRESENTATION = "presentation", _("Presentation")
        DEMO = "demo", _("Demonstration")
        TRAINING = "training", _("Training")
        VISIT = "visit", _("Visit")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKSHOP)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    services = models.ManyToManyField(
        Service, verbose_name=_("services reached"), related_name="awareness_actions", blank=True
    )
    people = models.PositiveIntegerField(_("people reached"), default=0)
    note = models.TextField(_("note (what came of it)"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[services])

    class Meta:
        verbose_name = _("awareness action")
        verbose_name_plural = _("awareness actions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.title} ({self.held_on})"

    def get_absolute_url(self) -> str:
        return reverse("partners:awareness_list") + f"#action-{self.pk}"

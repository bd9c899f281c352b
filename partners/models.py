from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AcculturationLevel(models.IntegerChoices):
    """How far a service has taken the smart-city approach on board."""

    UNAWARE = 1, _("Not yet involved")
    AWARE = 2, _("Aware")
    ENGAGED = 3, _("Engaged")
    DRIVING = 4, _("Driving force")


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
                condition=models.Q(acculturation__gte=1, acculturation__lte=4),
                name="service_acculturation_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:service_detail", args=[self.pk])


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
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class RelationshipKind(models.TextChoices):
    CLIENT_SUPPLIER = "client_supplier", _("Client–supplier")
    PARTNERSHIP = "partnership", _("Partnership")
    CO_CONSTRUCTION = "co_construction", _("Co-construction")
    FUNDING = "funding", _("Funding")
    DATA_PROVIDER = "data_provider", _("Data provider")
    DELEGATED_OPERATOR = "delegated_operator", _("Delegated operator")


class ProjectPartner(models.Model):
    """A typed, dated link between a project and a partner.

    The same partner may hold several kinds of relationship with one project
    over time (client–supplier, then partnership): that trajectory is the
    point, so the kind is part of the key and the dates say when.
    """

    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="partner_links",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="project_links"
    )
    relationship = models.CharField(_("relationship kind"), max_length=30, choices=RelationshipKind.choices)
    role = models.CharField(_("role"), max_length=200, blank=True)
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project–partner link")
        verbose_name_plural = _("project–partner links")
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "partner", "relationship"], name="project_partner_kind_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_partner_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_relationship_display()}"

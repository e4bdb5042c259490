"""Places as data (issue 11): where children go missing from, are last seen and are found, as
records of the force rather than free text, so that "where do our children go missing from and
get found" can be answered."""

from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import BaseModel


class PlaceKind(models.TextChoices):
    HOME = "home", "Home"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    FOSTER_PLACEMENT = "foster_placement", "Foster placement"
    SCHOOL = "school", "School"
    ASSOCIATE = "associate_address", "Friend's or associate's address"
    RELATIVE = "relative", "Relative's address"
    STREET_OR_PARK = "street_or_park", "Street or park"
    SHOP_OR_LEISURE = "shop_or_leisure", "Shop or leisure"
    TRANSPORT_HUB = "transport_hub", "Transport hub"
    HOTEL = "hotel_or_short_let", "Hotel or short let"
    HOSPITAL = "hospital", "Hospital"
    POLICE_STATION = "police_station", "Police station"
    OTHER = "other", "Other"


class Place(BaseModel):
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="places")
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    # A validated UK postcode in its standard form ("PL4 8AA"), or blank.
    postcode = models.CharField(max_length=8, blank=True)
    # Entered by hand or from demo data: no geocoding service is called (issue 11).
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    # A children's home: the provider running it (a partner organisation) and its Ofsted
    # registration number.
    provider = models.ForeignKey("partners.PartnerOrganisation", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="places")
    registration_number = models.CharField(max_length=20, blank=True)
    # Set when a duplicate is merged into the place that stays: it is never offered again.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_places")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["force", "name"]),
                   models.Index(fields=["force", "postcode"])]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}" if self.postcode else self.name

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

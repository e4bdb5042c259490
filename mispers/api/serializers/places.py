"""Places (issue 11): the force's records of where children go missing from, are last seen and
are found."""

from rest_framework import serializers

from mispers.places.models import PlaceKind


class PlaceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    name = serializers.CharField()
    address = serializers.CharField()
    postcode = serializers.CharField(help_text="Standard form (PL4 8AA), or empty")
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True)
    provider = serializers.UUIDField(source="provider_id", allow_null=True,
                                     help_text="A children's home's provider (a partner "
                                               "organisation)")
    registration_number = serializers.CharField()


class PlaceNewSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(allow_blank=True, default="")
    postcode = serializers.CharField(allow_blank=True, default="", max_length=10)
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True,
                                        default=None)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True,
                                         default=None)
    provider = serializers.UUIDField(allow_null=True, default=None)
    registration_number = serializers.CharField(allow_blank=True, default="", max_length=20)

"""Children: the record's shape in and out."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mispers.people.models import Alias, Ethnicity, Marker, ObservedEthnicity, Sex
from mispers.people.services import ChildDetails


def _today(serializer: serializers.Serializer):
    now = serializer.context.get("now")
    return now.date() if now else None


class AliasSerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=100, allow_blank=True, default="")
    family_name = serializers.CharField(max_length=100, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Alias.Kind.choices, read_only=True)


class MarkerSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    subtype = serializers.CharField(help_text="For exploitation: sexual, criminal, trafficking "
                                              "or other; empty for other kinds")
    label = serializers.CharField(help_text="The kind, or for exploitation the subtype")
    source = serializers.CharField(help_text="Where the information came from (empty on "
                                             "markers recorded before sources were kept)")
    active_from = serializers.DateField()
    active_until = serializers.DateField(allow_null=True)
    review_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    active = serializers.SerializerMethodField(help_text="Active today")

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_active(self, marker: Marker) -> bool:
        today = _today(self)
        return bool(today and marker.active_on(today))


class ChildSummarySerializer(serializers.Serializer):
    """A row of the children list (and the child on an episode)."""

    id = serializers.UUIDField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    estimated_age = serializers.IntegerField(allow_null=True)
    age = serializers.SerializerMethodField(help_text="Age in whole years today, from the date "
                                                      "of birth or the estimate")
    sex = serializers.ChoiceField(choices=Sex.choices)
    looked_after = serializers.BooleanField()
    local_authority = serializers.CharField()

    @extend_schema_field(OpenApiTypes.INT)
    def get_age(self, child) -> int | None:
        today = _today(self)
        return child.age_on(today) if today else None


class ChildSerializer(ChildSummarySerializer):
    """The full record of one child."""

    estimated_age_on = serializers.DateField(allow_null=True)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices,
                                        help_text="Self-defined: the 2021 census categories")
    observed_ethnicity = serializers.ChoiceField(choices=ObservedEthnicity.choices,
                                                 help_text="As the officer observed it")
    description = serializers.CharField()
    placement_address = serializers.CharField()
    home_address = serializers.CharField()
    aliases = AliasSerializer(many=True)
    markers = MarkerSerializer(many=True)
    created_at = serializers.DateTimeField()
    modified_at = serializers.DateTimeField()


class ChildInputSerializer(serializers.Serializer):
    """A new child. Either a date of birth or, if it is not known, an estimated age."""

    given_name = serializers.CharField(max_length=100, allow_blank=True)
    family_name = serializers.CharField(max_length=100, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    estimated_age = serializers.IntegerField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.NOT_KNOWN)
    ethnicity = serializers.ChoiceField(
        choices=Ethnicity.choices, default=Ethnicity.NOT_STATED,
        help_text="Self-defined (2021 census categories); `not_stated` when not given")
    observed_ethnicity = serializers.ChoiceField(
        choices=ObservedEthnicity.choices, default=ObservedEthnicity.NOT_RECORDED,
        help_text="As the officer observed it; `not_recorded` when not given")
    description = serializers.CharField(allow_blank=True, default="")
    looked_after = serializers.BooleanField(default=False)
    local_authority = serializers.CharField(max_length=120, allow_blank=True, default="")
    placement_address = serializers.CharField(allow_blank=True, default="")
    home_address = serializers.CharField(allow_blank=True, default="")
    aliases = AliasSerializer(many=True, required=False, default=list)


class ChildNewSerializer(ChildInputSerializer):
    """POST /children/: a new child, refused while a strong candidate exists until confirmed."""

    confirmed_new_child = serializers.BooleanField(
        default=False,
        help_text="True once you have checked that the child is not one of the strong "
                  "candidates of GET /api/v1/children/candidates. Without it, a child very like "
                  "a known one is refused (400, field `confirmed_new_child`).")


def child_details_from(data: dict) -> ChildDetails:
    """The service's input from a validated ChildInputSerializer's data."""
    data = dict(data)
    aliases = tuple((a.get("given_name", ""), a.get("family_name", ""))
                    for a in data.pop("aliases", []))
    return ChildDetails(aliases=aliases, **data)

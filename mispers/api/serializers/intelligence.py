"""Intelligence (issue 14, ADR 49): a child's links to persons of interest, vehicles, phones,
handles and places, with their 3x5x2 grading. Police only."""

from rest_framework import serializers


class IntelligenceEntitySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField(help_text="person, vehicle, phone, handle or place")
    label = serializers.CharField(help_text="As shown on the pages: a name, AB12 CDE, "
                                            "07700 900123, @handle on a platform, a place")
    key = serializers.CharField(help_text="The normalised value: E.164 number, registration "
                                          "without spaces, platform:handle, the place's id; "
                                          "empty for a person")
    aliases = serializers.ListField(child=serializers.CharField(),
                                    help_text="A person's aliases and street names")
    role = serializers.CharField(help_text="A person's role: peer, older_associate, "
                                           "suspected_exploiter, family, unknown; else empty")


class IntelligenceLinkSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    entity = IntelligenceEntitySerializer()
    kind = serializers.CharField(help_text="seen_with, found_with, found_at, picked_up_by, "
                                           "in_contact_with or named_at_interview")
    occurred_on = serializers.DateField()
    episode = serializers.UUIDField(source="episode_id", allow_null=True)
    source = serializers.CharField(help_text="report, enquiry_log, prevention_interview, "
                                             "return_home_interview, partner or intelligence")
    source_evaluation = serializers.CharField(help_text="A reliable, B untested, C not reliable")
    information_assessment = serializers.CharField(help_text="1 to 5 (3x5x2)")
    handling_code = serializers.CharField(help_text="P or C")
    grading = serializers.CharField(help_text="As written on a report: B3P")


# --- writing (issue 14): the services check every value and name the field they refuse -------

class EntityInputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="person, vehicle, phone, handle or place")
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    aliases = serializers.ListField(child=serializers.CharField(max_length=60), required=False,
                                    max_length=20, help_text="Aliases and street names")
    approximate_age = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                               max_value=119)
    role = serializers.CharField(required=False, allow_blank=True,
                                 help_text="peer, older_associate, suspected_exploiter, family")
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    registration = serializers.CharField(required=False, allow_blank=True, max_length=20)
    make = serializers.CharField(required=False, allow_blank=True, max_length=60)
    colour = serializers.CharField(required=False, allow_blank=True, max_length=40)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40,
                                  help_text="A UK number in any common form")
    platform = serializers.CharField(required=False, allow_blank=True)
    handle = serializers.CharField(required=False, allow_blank=True, max_length=100)
    place = serializers.UUIDField(required=False, allow_null=True,
                                  help_text="A place of your force (kind place)")


class GradingInputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="seen_with, found_with, found_at, picked_up_by, "
                                           "in_contact_with or named_at_interview")
    occurred_on = serializers.DateField()
    source_evaluation = serializers.CharField(help_text="A, B or C")
    information_assessment = serializers.CharField(help_text="1 to 5")
    handling_code = serializers.CharField(required=False, default="P", help_text="P or C")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LinkInputSerializer(GradingInputSerializer):
    entity = serializers.UUIDField(help_text="An entity of your force")
    source = serializers.CharField(help_text="report, enquiry_log, prevention_interview, "
                                             "return_home_interview, partner or intelligence")
    episode = serializers.UUIDField(required=False, allow_null=True,
                                    help_text="One of the child's episodes")


class EntityMergeInputSerializer(serializers.Serializer):
    duplicate = serializers.UUIDField(help_text="The record merged into this one")
    reason = serializers.CharField(max_length=200)


class HubAlertSerializer(serializers.Serializer):
    hub = serializers.CharField(help_text="entity:<id> or place:<id>")
    label = serializers.CharField()
    children = serializers.IntegerField(help_text="Different children linked to the hub")
    marker_proposed = serializers.BooleanField()
    message = serializers.CharField()


class LinkedSerializer(IntelligenceLinkSerializer):
    hub_alert = HubAlertSerializer(allow_null=True,
                                   help_text="Set when this link joined the child to an "
                                             "exploitation hub: the coordinator and the officer "
                                             "in the case were told")


class MergedSerializer(serializers.Serializer):
    merge = serializers.UUIDField()
    kept = IntelligenceEntitySerializer()
    moved_links = serializers.IntegerField()
    hub_alerts = HubAlertSerializer(many=True)


class SuggestionStateSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField(help_text="person, vehicle or phone")
    written = serializers.CharField(help_text="As the officer wrote it")
    state = serializers.CharField(help_text="open, confirmed or dismissed")

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

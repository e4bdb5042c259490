"""The intelligence network (issue 14, ADR 50): nodes, edges, hubs and communities. Ids and
labels are pseudonymous for the analyst."""

from rest_framework import serializers


class NetworkQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First day, YYYY-MM-DD (default: "
                                                            "the hub window before `end`)")
    end = serializers.DateField(required=False, help_text="Last day, YYYY-MM-DD (default today)")
    kind = serializers.ListField(child=serializers.CharField(), required=False)
    min_links = serializers.IntegerField(required=False, min_value=1, max_value=50)
    evaluation = serializers.ChoiceField(choices=["A", "B", "C"], required=False)
    assessment = serializers.ChoiceField(choices=["1", "2", "3", "4", "5"], required=False)
    together = serializers.ChoiceField(choices=["yes", "no"], required=False)


class NetworkNodeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="child:<uuid>, entity:<uuid>, place:<uuid>; for the "
                                         "analyst a keyed pseudonym (c-…, e-…, p-…)")
    kind = serializers.CharField(help_text="child, person, vehicle, phone, handle or place")
    label = serializers.CharField(help_text="A name for the police; kind and pseudonym for the "
                                            "analyst")
    hub = serializers.BooleanField()
    hub_children = serializers.IntegerField(help_text="Children that make it a hub (0: not one)")
    children = serializers.IntegerField(help_text="Different children linked in this graph")
    degree = serializers.IntegerField()
    community = serializers.IntegerField(allow_null=True)


class NetworkEdgeSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    relation = serializers.CharField(help_text="Link kinds joined by ', ', found_there, "
                                               "missing_together or found_together")
    grading = serializers.CharField(help_text="The best source evaluation and assessment of "
                                              "the links (B2); empty for returns and derived")
    first = serializers.DateField(allow_null=True)
    last = serializers.DateField(allow_null=True)
    count = serializers.IntegerField()


class NetworkCommunitySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    nodes = serializers.ListField(child=serializers.CharField(), help_text="Node ids")


class NetworkSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    hub_children = serializers.IntegerField(help_text="The policy's hub count")
    hub_window_days = serializers.IntegerField(help_text="The policy's hub window")
    pseudonymous = serializers.BooleanField()
    nodes = NetworkNodeSerializer(many=True)
    edges = NetworkEdgeSerializer(many=True)
    hubs = serializers.ListField(child=serializers.CharField(), help_text="Hub node ids")
    hubs_filtered_out = serializers.IntegerField()
    communities = NetworkCommunitySerializer(many=True)

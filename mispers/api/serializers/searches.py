"""Where to look and searches (issue 14, ADR 52). Police only."""

from rest_framework import serializers

from mispers.searches.models import SearchResult


class SuggestedPlaceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="The place's kind (PlaceKind)")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class SearchDoneSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    result = serializers.CharField()
    who = serializers.CharField()


class WhereSuggestionSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    place = SuggestedPlaceSerializer()
    reasons = serializers.ListField(child=serializers.CharField())
    sources = serializers.ListField(
        child=serializers.CharField(),
        help_text="own, home, placement, relative, last_seen, intelligence, associate, "
                  "philomena, base_rate")
    score = serializers.FloatField(help_text="The ranking's estimate that the child is here")
    right_before = serializers.IntegerField(help_text="Earlier returns found at this place")
    returns_before = serializers.IntegerField(help_text="The child's earlier returns")
    right_text = serializers.CharField()
    distance_km = serializers.FloatField(allow_null=True,
                                         help_text="From where last seen, when both have "
                                                   "coordinates")
    ring = serializers.CharField(help_text="within 3 km, 3 to 18 km, beyond 18 km, or empty")
    searches = SearchDoneSerializer(many=True, help_text="Searches of it in this episode")


class KindRateSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    share = serializers.FloatField(help_text="Share of children of the age band found there")
    right_before = serializers.IntegerField()
    returns_before = serializers.IntegerField()


class WhereToLookSerializer(serializers.Serializer):
    episode = serializers.UUIDField()
    as_of = serializers.DateTimeField()
    age_band = serializers.CharField()
    population = serializers.CharField(help_text="Whose base rates are used")
    returns_before = serializers.IntegerField()
    last_seen = SuggestedPlaceSerializer(allow_null=True)
    suggestions = WhereSuggestionSerializer(many=True)
    base_rates = KindRateSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField(),
                                  help_text="Philomena places that are not places on record")


class SearchSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    episode = serializers.UUIDField(source="episode_id")
    place = serializers.UUIDField(source="place_id", allow_null=True)
    place_name = serializers.SerializerMethodField()
    place_note = serializers.CharField()
    searched_at = serializers.DateTimeField()
    recorded_by = serializers.CharField(source="searched_by.username")
    who = serializers.CharField()
    result = serializers.ChoiceField(choices=SearchResult.choices)
    notes = serializers.CharField()
    suggestion_rank = serializers.IntegerField(allow_null=True)
    suggestion_reason = serializers.CharField()

    def get_place_name(self, search) -> str:
        return str(search.place) if search.place_id else ""


class SearchInputSerializer(serializers.Serializer):
    place = serializers.UUIDField(required=False, allow_null=True,
                                  help_text="A place of your force; or give place_note")
    place_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    searched_at = serializers.DateTimeField()
    who = serializers.CharField(required=False, allow_blank=True, max_length=200)
    result = serializers.ChoiceField(choices=SearchResult.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    suggestion_rank = serializers.IntegerField(required=False, allow_null=True)
    suggestion_reason = serializers.CharField(required=False, allow_blank=True,
                                              max_length=300)

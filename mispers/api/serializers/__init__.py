"""Request and response shapes of the API. Serializers check shape only (types, required
fields, known choices); every business rule is the services' to apply."""

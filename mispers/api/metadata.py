"""What the API answers to OPTIONS (ADR 0021).

Django REST framework's SimpleMetadata describes the input of each write method, and to decide
whether to describe PUT it looks the object up through ``get_object()``, which the API's views do
not use (they look records up through the selectors, scoped to the user): OPTIONS on
``/children/{id}/trigger-plan`` was a server error. The OpenAPI schema (GET /api/schema/) is
where a client learns the shapes; OPTIONS answers the name, the description and the media types,
which also tells nothing about which records exist.
"""

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request, view):
        return {}

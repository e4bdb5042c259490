"""GET /api/schema/: a valid OpenAPI document describing every endpoint."""

import pytest
from drf_spectacular.validation import validate_schema

PATHS = {
    "/api/v1/children/": {"get", "post"},
    "/api/v1/children/{id}/": {"get"},
    "/api/v1/children/candidates": {"get"},
    "/api/v1/insights/figures": {"get"},
    "/api/v1/insights/consistency": {"get"},
    "/api/v1/insights/outcomes": {"get"},
    "/api/v1/places/": {"get", "post"},
    "/api/v1/places/{id}/": {"get"},
    "/api/v1/episodes/": {"get", "post"},
    "/api/v1/episodes/{id}/": {"get"},
    "/api/v1/episodes/{id}/assessments/": {"get", "post"},
    "/api/v1/assessments/{id}/": {"get"},
    "/api/v1/assessments/{id}/ratify": {"post"},
    "/api/v1/assessments/{id}/decline": {"post"},
    "/api/v1/risk/recommend": {"post"},
    "/api/v1/episodes/{id}/clock/": {"get"},
    "/api/v1/episodes/{id}/reviews/": {"get", "post"},
    "/api/v1/episodes/{id}/handovers/": {"get", "post"},
    "/api/v1/episodes/{id}/allocate": {"post"},
    "/api/v1/handovers/{id}/accept": {"post"},
    "/api/v1/handovers/{id}/decline": {"post"},
    "/api/v1/episodes/{id}/actions/": {"get", "post"},
    "/api/v1/actions/{id}/assign": {"post"},
    "/api/v1/actions/{id}/complete": {"post"},
    "/api/v1/actions/{id}/cancel": {"post"},
    "/api/v1/episodes/{id}/enquiries/": {"get", "post"},
    "/api/v1/episodes/{id}/where-to-look/": {"get"},
    "/api/v1/episodes/{id}/searches/": {"get", "post"},
    "/api/v1/episodes/{id}/found": {"post"},
    "/api/v1/episodes/{id}/prevention-interview/": {"post"},
    "/api/v1/episodes/{id}/prevention-waiver/": {"post"},
    "/api/v1/prevention-waivers/{id}/approve": {"post"},
    "/api/v1/marker-proposals/{id}/confirm": {"post"},
    "/api/v1/marker-proposals/{id}/reject": {"post"},
    "/api/v1/return-home-interviews/{id}/": {"get", "patch"},
    "/api/v1/return-home-interviews/{id}/addenda/": {"post"},
    "/api/v1/episodes/{id}/close": {"post"},
    "/api/v1/episodes/{id}/withdraw": {"post"},
    "/api/v1/queues/mine/": {"get"},
    "/api/v1/queues/supervisor/": {"get"},
    "/api/v1/queues/coordinator/": {"get"},
    "/api/v1/notifications/": {"get"},
    "/api/v1/notifications/{id}/acknowledge": {"post"},
    "/api/v1/children/{id}/pattern": {"get"},
    "/api/v1/children/{id}/intelligence-links/": {"get", "post"},
    "/api/v1/intelligence/entities/": {"post"},
    "/api/v1/intelligence/entities/{id}/merge/": {"post"},
    "/api/v1/intelligence/suggestions/{id}/confirm/": {"post"},
    "/api/v1/intelligence/suggestions/{id}/dismiss": {"post"},
    "/api/v1/intelligence/network/": {"get"},
    "/api/v1/repeat-children/": {"get"},
    "/api/v1/children/{id}/strategy-meetings/": {"get", "post"},
    "/api/v1/strategy-meetings/{id}/": {"get"},
    "/api/v1/strategy-meeting-actions/{id}/complete": {"post"},
    "/api/v1/children/{id}/trigger-plan": {"get", "put"},
    "/api/v1/trigger-plans/{id}/review": {"post"},
    "/api/v1/duplicate-suggestions/": {"get"},
    "/api/v1/duplicate-suggestions/{id}/reject": {"post"},
    "/api/v1/children/merges/": {"get", "post"},
    "/api/v1/children/merges/{id}/undo": {"post"},
    "/api/v1/partner/children/": {"get"},
    "/api/v1/partner/children/{id}/episodes/": {"get"},
    "/api/v1/partner/episodes/{id}/": {"get"},
    "/api/v1/partner/return-interviews/{id}/": {"get", "patch"},
    "/api/v1/partner/return-interviews/{id}/addenda/": {"post"},
    "/api/v1/partner/alerts/": {"get"},
    "/api/v1/partner/alerts/{id}/acknowledge": {"post"},
    "/api/v1/partner-organisations/": {"get", "post"},
    "/api/v1/partner-organisations/{id}/": {"get"},
    "/api/v1/partner-organisations/{id}/users/": {"post"},
    "/api/v1/partner-organisation-links/": {"get", "post"},
    "/api/v1/partner-organisation-links/{id}/accept": {"post"},
    "/api/v1/partner-organisation-links/{id}/decline": {"post"},
    "/api/v1/partner-organisation-links/{id}/end": {"post"},
    "/api/v1/analysis/episodes/": {"get"},
    "/api/v1/insights/quality": {"get"},
}
# Steps that need nothing but the address: a POST with no request body.
BODILESS = {"/api/v1/handovers/{id}/accept", "/api/v1/prevention-waivers/{id}/approve",
            "/api/v1/notifications/{id}/acknowledge", "/api/v1/partner/alerts/{id}/acknowledge",
            "/api/v1/intelligence/suggestions/{id}/dismiss"}


@pytest.fixture
def schema(client_for, officer):
    response = client_for(officer).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises if it breaks the OpenAPI JSON schema


def test_schema_has_every_path_and_method(schema):
    assert {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()} == PATHS


def ref(schema, node):
    name = node["$ref"].rsplit("/", 1)[-1]
    return schema["components"]["schemas"][name]


def test_request_and_response_bodies_are_described(schema):
    paths = schema["paths"]
    for path, methods in PATHS.items():
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"], (path, method)
            ok = "201" if method == "post" and path.endswith("/") else "200"
            body = operation["responses"][ok]["content"]["application/json"]["schema"]
            assert "$ref" in body, (path, method)
            if method == "post" and path in BODILESS:
                assert "requestBody" not in operation, (path, method)
            elif method in ("post", "patch"):
                content = operation["requestBody"]["content"]
                assert list(content) == ["application/json"], (path, method)
                assert "$ref" in content["application/json"]["schema"]
            if "{id}" in path:
                assert "404" in operation["responses"]
    report = ref(schema, paths["/api/v1/episodes/"]["post"]["requestBody"]["content"]
                 ["application/json"]["schema"])
    assert {"child", "new_child", "reported_at", "reported_by", "last_seen_at",
            "last_seen_where", "missing_from"} <= set(report["properties"])
    assessment = ref(schema, paths["/api/v1/episodes/{id}/assessments/"]["post"]["responses"]
                     ["201"]["content"]["application/json"]["schema"])
    assert {"recommended_grade", "reasons", "status", "required_rank", "policy",
            "policy_version"} <= set(assessment["properties"])
    episode = ref(schema, paths["/api/v1/episodes/{id}/"]["get"]["responses"]["200"]["content"]
                  ["application/json"]["schema"])
    assert {"owner", "clock", "actions", "enquiries", "reviews", "handovers", "return",
            "timeline"} <= set(episode["properties"])
    clock = ref(schema, paths["/api/v1/episodes/{id}/clock/"]["get"]["responses"]["200"]
                ["content"]["application/json"]["schema"])
    assert {"next_review_due_at", "review_overdue_seconds", "deadlines"} <= set(
        clock["properties"])
    review = ref(schema, paths["/api/v1/episodes/{id}/reviews/"]["post"]["requestBody"]
                 ["content"]["application/json"]["schema"])
    assert {"notes", "next_actions", "regrade", "version"} <= set(review["properties"])
    supervisor = ref(schema, paths["/api/v1/queues/supervisor/"]["get"]["responses"]["200"]
                     ["content"]["application/json"]["schema"])
    assert {"reviews", "handovers", "approvals", "ratifications", "escalations"} <= set(
        supervisor["properties"])
    answers = ref(schema, paths["/api/v1/episodes/{id}/assessments/"]["post"]["requestBody"]
                  ["content"]["application/json"]["schema"])["properties"]["answers"]
    assert answers["type"] == "object"
    assert len(answers["additionalProperties"]["oneOf"]) == 2


def test_error_shape_is_described(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "field_errors"}


def test_both_ways_of_signing_in_are_described(schema):
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_schema_needs_a_signed_in_user(anonymous, episode):
    response = anonymous.get("/api/schema/", {"format": "json"})
    assert response.status_code == 401
    assert episode.reference not in response.content.decode()

"""Shapes for managing partner organisations and their users through the API (ADR 0013):
organisations with their counts, their users with roles, and what a force administrator sends
to add an organisation or a user. Shape only: names, duplicates, roles that fit the kind and
password strength are the services' rules (mispers.partners.services.admin)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mispers.accounts.roles import Role
from mispers.partners.models import PartnerOrganisation

from .common import CodeChoiceField


class PartnerUserSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()
    roles = serializers.SerializerMethodField(help_text="Partner role codes")
    is_active = serializers.BooleanField(help_text="False once deactivated: cannot sign in")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, user) -> list[str]:
        return [r.role for r in user.roles.all()]  # prefetched by the selector


class ForceRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PartnerOrganisationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=PartnerOrganisation.Kind.choices)
    email = serializers.CharField(help_text="The shared inbox alerts go to (may be empty)")
    active = serializers.BooleanField(help_text="False once deactivated: its users see nothing")
    active_users = serializers.IntegerField()
    inactive_users = serializers.IntegerField()
    children_now = serializers.IntegerField(
        help_text="Children the organisation is responsible for today")


class PartnerOrganisationDetailSerializer(PartnerOrganisationSerializer):
    forces = ForceRefSerializer(many=True, help_text="The forces it works with")
    users = PartnerUserSerializer(many=True, source="users_list")


class PartnerOrganisationInputSerializer(serializers.Serializer):
    """A new organisation; it works with your force."""

    name = serializers.CharField(max_length=200, allow_blank=True)
    kind = CodeChoiceField(PartnerOrganisation.Kind.choices, noun="kind")
    email = serializers.CharField(max_length=254, allow_blank=True, required=False, default="",
                                  help_text="The shared inbox for alerts (optional)")


class PartnerUserInputSerializer(serializers.Serializer):
    """A new user of the organisation, with one partner role that fits its kind: social worker
    or return-interview worker in children's services, care worker in a care provider,
    return-interview worker in a return-interview provider, partner administrator in any."""

    username = serializers.CharField(max_length=150, allow_blank=True)
    first_name = serializers.CharField(max_length=150, allow_blank=True)
    last_name = serializers.CharField(max_length=150, allow_blank=True)
    email = serializers.CharField(max_length=254, allow_blank=True)
    role = CodeChoiceField(Role.choices, noun="role")
    password = serializers.CharField(write_only=True, trim_whitespace=False,
                                     style={"input_type": "password"},
                                     help_text="The initial password: at least 12 characters, "
                                               "not common, not like the person's name")


class OrganisationForceLinkSerializer(serializers.Serializer):
    """A link between an organisation and a force (ADR 0014)."""

    id = serializers.UUIDField()
    organisation = serializers.UUIDField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    force = ForceRefSerializer()
    status = serializers.ChoiceField(
        choices=["requested", "active", "declined", "ended"],
        help_text="requested (waiting for acceptance), active, declined or ended")
    requested_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()


class LinkRequestInputSerializer(serializers.Serializer):
    organisation = serializers.UUIDField(help_text="The organisation to work with your force")
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="",
                                   help_text="Shown to whoever decides")


class LinkDecisionInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")

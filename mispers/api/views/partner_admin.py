"""Managing partner organisations and their users (/api/v1/partner-organisations/, ADR 0013):
for a force administrator only, scoped to the organisations working with their force. Other
police roles and partner users get 403; an organisation not linked to the force is 404. Nothing
here shows a child, so nothing is access-logged."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from mispers.partners.admin_selectors import (
    can_manage_organisations,
    organisation_for,
    organisation_users,
    organisations_for,
)
from mispers.partners.services.admin import organisation_add, partner_user_add

from ..serializers.partner_admin import (
    PartnerOrganisationDetailSerializer,
    PartnerOrganisationInputSerializer,
    PartnerOrganisationSerializer,
    PartnerUserInputSerializer,
    PartnerUserSerializer,
)
from .base import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, ApiView, error_response


class IsForceAdmin(BasePermission):
    message = "Only a force administrator manages partner organisations."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated
                    and can_manage_organisations(request.user))


ADMIN_403 = error_response("Signed in without the force administrator role")
READ = {**ERRORS_READ, 403: ADMIN_403,
        404: error_response("No such organisation working with your force", "Not found.")}
WRITE = {**READ, 400: ERRORS_WRITE[400]}


class AdminApiView(ApiView):
    permission_classes = [IsForceAdmin]

    def today(self):
        from django.utils import timezone

        return timezone.localdate(self.now())

    def detail(self, organisation_id):
        """The organisation (404 unless it works with the force) with its users and roles."""
        organisation = organisation_for(user=self.request.user, organisation_id=organisation_id,
                                        on=self.today())
        organisation.users_list = list(organisation_users(organisation=organisation))
        return organisation


@extend_schema(tags=["partner organisations"])
class PartnerOrganisationList(AdminApiView):
    serializer_class = PartnerOrganisationSerializer

    @extend_schema(
        summary="The partner organisations working with your force",
        description="By name, each with its kind, whether it is active, its active and "
                    "deactivated users and the children it is responsible for today.",
        responses={200: PartnerOrganisationSerializer(many=True), **ERRORS_LIST,
                   403: ADMIN_403},
    )
    def get(self, request):
        page = self.paginate_queryset(organisations_for(user=request.user, on=self.today()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add a partner organisation working with your force",
        description="A name already in Mispers is refused (400 on `name`): the organisation "
                    "exists, link it to your force on the Partners page instead.",
        request=PartnerOrganisationInputSerializer,
        responses={201: PartnerOrganisationDetailSerializer,
                   **{code: WRITE[code] for code in (400, 401, 403)}},
        examples=[OpenApiExample("A care provider", request_only=True, value={
            "name": "Harbour View Children's Home", "kind": "care_provider",
            "email": "duty@harbourview.example"})],
    )
    def post(self, request):
        given = PartnerOrganisationInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        organisation = organisation_add(actor=request.user, now=self.now(),
                                        **given.validated_data)
        return Response(PartnerOrganisationDetailSerializer(self.detail(organisation.pk)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["partner organisations"])
class PartnerOrganisationDetail(AdminApiView):
    serializer_class = PartnerOrganisationDetailSerializer

    @extend_schema(summary="One partner organisation, with the forces it works with and its "
                           "users", responses={200: PartnerOrganisationDetailSerializer, **READ})
    def get(self, request, pk):
        return Response(self.get_serializer(self.detail(pk)).data)


@extend_schema(tags=["partner organisations"])
class PartnerOrganisationUsers(AdminApiView):
    serializer_class = PartnerUserSerializer

    @extend_schema(
        summary="Add a user to a partner organisation",
        description="One partner role that fits the organisation's kind (400 on `role` "
                    "otherwise, and for police roles), a username nobody has (400 on "
                    "`username`), first and last name, an email address for alerts, and an "
                    "initial password of at least 12 characters that passes the password "
                    "rules (400 on `password`). Give the password to the person by phone or in "
                    "person. A deactivated organisation takes no new users.",
        request=PartnerUserInputSerializer,
        responses={201: PartnerUserSerializer, **WRITE},
        examples=[OpenApiExample("A care worker", request_only=True, value={
            "username": "sam.carer", "first_name": "Sam", "last_name": "Carer",
            "email": "sam.carer@harbourview.example", "role": "care_worker",
            "password": "lighthouse-orange-kettle"})],
    )
    def post(self, request, pk):
        organisation = organisation_for(user=request.user, organisation_id=pk, on=self.today())
        given = PartnerUserInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = partner_user_add(actor=request.user, now=self.now(), organisation=organisation,
                                **given.validated_data)
        user = organisation_users(organisation=organisation).get(pk=user.pk)
        return Response(self.get_serializer(user).data, status=status.HTTP_201_CREATED)

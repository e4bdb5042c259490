"""Managing partner organisations and their users (/api/v1/partner-organisations/, ADR 0013):
for a force administrator only, scoped to the organisations working with their force. Other
police roles and partner users get 403; an organisation not linked to the force is 404. Nothing
here shows a child, so nothing is access-logged.

Links need consent (ADR 0014): `POST /partner-organisation-links/` asks for an organisation to
work with your force; an administrator of a force it already works with accepts or declines
(`.../<id>/accept`, `.../<id>/decline`); each force ends only its own link (`.../<id>/end`)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from mispers.core.errors import NotFound
from mispers.partners.admin_selectors import (
    can_manage_organisations,
    link_for,
    organisation_for,
    organisation_users,
    organisations_for,
    requests_to_decide,
)
from mispers.partners.models import OrganisationForceLink, PartnerOrganisation
from mispers.partners.services import links as link_services
from mispers.partners.services.admin import organisation_add, partner_user_add

from ..serializers.partner_admin import (
    LinkDecisionInputSerializer,
    LinkRequestInputSerializer,
    OrganisationForceLinkSerializer,
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
        force_id = self.request.user.force_id
        # Only the users working for this force (ADR 0014), and the forces it works with.
        organisation.users_list = list(organisation_users(organisation=organisation,
                                                          force_id=force_id))
        organisation.forces = list(organisation.active_forces().order_by("name"))
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


LINK_READ = {**ERRORS_READ, 403: ADMIN_403,
             404: error_response("No such link for your force or its organisations",
                                 "Not found.")}
LINK_WRITE = {**LINK_READ, 400: ERRORS_WRITE[400],
              403: error_response("Not yours to decide or end (the detail says whose it is)")}


@extend_schema(tags=["partner organisations"])
class PartnerOrganisationLinkList(AdminApiView):
    serializer_class = OrganisationForceLinkSerializer

    @extend_schema(
        summary="Your force's links to partner organisations, and requests for you to decide",
        description="Every link of your force (requested, active, declined, ended), then the "
                    "waiting requests of other forces to work with organisations your force "
                    "works with, which you may accept or decline.",
        responses={200: OrganisationForceLinkSerializer(many=True), **ERRORS_LIST,
                   403: ADMIN_403})
    def get(self, request):
        own = (OrganisationForceLink.objects.filter(force_id=request.user.force_id)
               .select_related("organisation", "force").order_by("organisation__name"))
        rows = list(own) + list(requests_to_decide(user=request.user))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Ask for an organisation to work with your force",
        description="A request: it becomes active only when the organisation's partner "
                    "administrator or an administrator of a force it already works with "
                    "accepts (`status` is `requested`). When there is nobody to ask (it works "
                    "with no force and has no such partner administrator) it is active at once "
                    "and `reason` says so. Already linked or asked: 400 on `organisation`.",
        request=LinkRequestInputSerializer,
        responses={201: OrganisationForceLinkSerializer, **LINK_WRITE})
    def post(self, request):
        given = LinkRequestInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        organisation = PartnerOrganisation.objects.filter(
            pk=given.validated_data["organisation"]).first()
        if organisation is None:
            raise NotFound("Organisation not found")
        link = link_services.link_request(actor=request.user, now=self.now(),
                                          organisation=organisation,
                                          reason=given.validated_data["reason"])
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)


class _LinkStep(AdminApiView):
    serializer_class = OrganisationForceLinkSerializer

    def step(self, link_id, reason):
        raise NotImplementedError

    def post(self, request, pk):
        link = link_for(user=request.user, link_id=pk)
        given = LinkDecisionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        link = self.step(link.pk, given.validated_data["reason"])
        return Response(self.get_serializer(link).data)


@extend_schema(tags=["partner organisations"], request=LinkDecisionInputSerializer,
               responses={200: OrganisationForceLinkSerializer, **LINK_WRITE})
class PartnerOrganisationLinkAccept(_LinkStep):
    @extend_schema(summary="Accept another force's request to work with an organisation",
                   description="For an administrator of a force the organisation already works "
                               "with; never the asking force's own (403).")
    def post(self, request, pk):
        return super().post(request, pk)

    def step(self, link_id, reason):
        return link_services.link_decide(actor=self.request.user, now=self.now(),
                                         link_id=link_id, accept=True, reason=reason)


@extend_schema(tags=["partner organisations"], request=LinkDecisionInputSerializer,
               responses={200: OrganisationForceLinkSerializer, **LINK_WRITE})
class PartnerOrganisationLinkDecline(_LinkStep):
    @extend_schema(summary="Decline another force's request to work with an organisation")
    def post(self, request, pk):
        return super().post(request, pk)

    def step(self, link_id, reason):
        return link_services.link_decide(actor=self.request.user, now=self.now(),
                                         link_id=link_id, accept=False, reason=reason)


@extend_schema(tags=["partner organisations"], request=LinkDecisionInputSerializer,
               responses={200: OrganisationForceLinkSerializer, **LINK_WRITE})
class PartnerOrganisationLinkEnd(_LinkStep):
    @extend_schema(summary="End your force's link to an organisation (or withdraw a request)",
                   description="Its users see nothing more of your force's children and it "
                               "gets no more of your alerts. Other forces' links are never "
                               "touched: another force's link is 403.")
    def post(self, request, pk):
        return super().post(request, pk)

    def step(self, link_id, reason):
        return link_services.link_end(actor=self.request.user, now=self.now(),
                                      link_id=link_id, reason=reason)

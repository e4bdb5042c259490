"""Writes for partners (house rule 1: keyword-only, atomic, explicit actor and now).

One module per concern; this package re-exports them so callers write
`from mispers.partners import services` and `services.profile_save(...)`.
Helpers append their own modules' imports below (one line each)."""

from .admin import (  # noqa: F401
    OrganisationAdminError,
    organisation_add,
    organisation_link,
    organisation_set_active,
    partner_user_add,
    partner_user_set_active,
)
from .links import LinkError, link_decide, link_end, link_request  # noqa: F401
from .organisations import (  # noqa: F401
    OrganisationError,
    ResponsibilityError,
    may_set_responsibility,
    organisation_create,
    partner_user_create,
    responsibility_end,
    responsibility_start,
)
from .profiles import ProfileDetails, ProfileError, may_keep_profile, profile_save  # noqa: F401
from .reports import (  # noqa: F401
    FIELD_SOURCES,
    Part2,
    PartnerReportDraft,
    PartnerReportError,
    partner_report_keep,
    partner_report_prepare,
    prefilled_fields_for,
    profile_items_for,
)

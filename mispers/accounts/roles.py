"""Roles and ranks. Roles say what a user does; rank says what they may ratify and review."""

from django.db import models


class Role(models.TextChoices):
    CALL_HANDLER = "call_handler", "Call handler"
    OFFICER = "officer", "Officer"
    SUPERVISOR = "supervisor", "Supervisor (sergeant)"
    INSPECTOR = "inspector", "Inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    COORDINATOR = "coordinator", "Missing persons coordinator"
    ANALYST = "analyst", "Analyst"
    FORCE_ADMIN = "force_admin", "Force administrator"
    # Audits the access log (Data Protection Act 2018 s.62): who looked at which child; reads
    # no case record by this role alone (docs/adr/0019-access-log.md).
    DATA_PROTECTION = "data_protection", "Data protection lead"
    # The police and crime commissioner's office (issue 12): the force's figures as aggregates
    # with small numbers suppressed; never a name, a reference, free text or a record.
    COMMISSIONER = "commissioner", "Police and crime commissioner's office"
    # The national missing persons unit (issue 13): users of no force, who receive the forces'
    # extracts, link children across forces and make the national tables. No force's pages.
    NATIONAL_UNIT = "national_unit", "National missing persons unit"
    # Partner roles: users of a partner organisation (children's services, a care provider, a
    # return-interview provider). They never hold a police role and never see police-only fields.
    SOCIAL_WORKER = "social_worker", "Social worker"
    CARE_WORKER = "care_worker", "Care worker"
    RHI_WORKER = "rhi_worker", "Return-interview worker"
    PARTNER_ADMIN = "partner_admin", "Partner administrator"


class Rank(models.TextChoices):
    # Order matters: lowest first. Staff have no police rank and can never ratify.
    STAFF = "staff", "Police staff"
    CALL_HANDLER = "call_handler", "Call handler"
    OFFICER = "officer", "Constable"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"


RANK_ORDER = [value for value, _ in Rank.choices]


def rank_at_least(rank: str, required: str) -> bool:
    return RANK_ORDER.index(rank) >= RANK_ORDER.index(required)


PARTNER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.CARE_WORKER, Role.RHI_WORKER,
                           Role.PARTNER_ADMIN})
# The national unit (issue 13) belongs to no force: not a police role of any force.
NATIONAL_ROLES = frozenset({Role.NATIONAL_UNIT})
POLICE_ROLES = frozenset(Role.values) - PARTNER_ROLES - NATIONAL_ROLES

# Who may do what (docs/adr/0018-least-privilege.md). Identifiable case records (children,
# episodes, their free text, queues, searches, exports) are for operational roles only: need to
# know. The analyst works on aggregates and pseudonymised rows; the force administrator manages
# users, organisations and settings and reads no case data.
CASE_READ_ROLES = frozenset({
    Role.CALL_HANDLER, Role.OFFICER, Role.SUPERVISOR, Role.INSPECTOR, Role.SUPERINTENDENT,
    Role.COORDINATOR,
})
# Old name of CASE_READ_ROLES, kept so code written against it stays need-to-know.
READ_ROLES = CASE_READ_ROLES
# Pseudonymised episode rows and counts (no names, no free text): the analyst, and the managers
# who plan the force's response.
ANALYSIS_ROLES = frozenset({Role.ANALYST, Role.COORDINATOR, Role.INSPECTOR, Role.SUPERINTENDENT})
# Users, organisations and settings; never case data by this role alone.
ADMIN_ROLES = frozenset({Role.FORCE_ADMIN})
# Taking a report and recording an assessment.
REPORT_ROLES = frozenset({
    Role.CALL_HANDLER, Role.OFFICER, Role.SUPERVISOR, Role.INSPECTOR, Role.SUPERINTENDENT,
    Role.COORDINATOR,
})
RATIFY_ROLES = frozenset({Role.SUPERVISOR, Role.INSPECTOR, Role.SUPERINTENDENT})
# Markers change how every later report is graded: supervisors and the coordinator record them.
MARKER_ROLES = frozenset({Role.SUPERVISOR, Role.INSPECTOR, Role.SUPERINTENDENT, Role.COORDINATOR})
# Merging two records of one child (and undoing it, and rejecting a suggested pair): the
# missing persons coordinator, and inspectors and above (docs/adr/0008).
MERGE_ROLES = frozenset({Role.COORDINATOR, Role.INSPECTOR, Role.SUPERINTENDENT})
# Reading the force's access log (who looked at which child, what a user looked at) and
# exporting it: the force's data-protection lead (docs/adr/0019-access-log.md).
AUDIT_ROLES = frozenset({Role.DATA_PROTECTION})

# --- issue 10: every role list is defined here, once -------------------------------------------
# Supervisors by role: reviews, ratifications, closing, cancelling an action (ranks checked too).
SUPERVISOR_ROLES = RATIFY_ROLES
# Allocating the officer in the case, and the control room's Unallocated page (ADR 24).
ALLOCATE_ROLES = frozenset({Role.SUPERVISOR, Role.INSPECTOR, Role.SUPERINTENDENT})
CONTROL_ROOM_ROLES = ALLOCATE_ROLES | {Role.CALL_HANDLER}
# Handing over a case someone else owns.
HANDOVER_ANY_ROLES = MARKER_ROLES
# The police prevention interview: officers and their supervisors hold it.
INTERVIEWER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.INSPECTOR,
                               Role.SUPERINTENDENT})
# The return-home interview: police who record its progress, and the partner users who record it
# (the provider's workers; the placing authority's social workers when it is the provider).
RHI_ROLES = INTERVIEWER_ROLES | {Role.COORDINATOR}
PARTNER_RHI_ROLES = frozenset({Role.RHI_WORKER, Role.SOCIAL_WORKER})
# Choosing the provider commissioned for the return-home interview.
RHI_COMMISSION_ROLES = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.INSPECTOR,
                                  Role.SUPERINTENDENT})
# Strategy meetings and trigger plans: the coordinator, supervisors and above.
PLANNER_ROLES = MARKER_ROLES
# The information-sharing log names children: not the analyst or the administrator (ADR 18).
SHARING_LOG_ROLES = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.INSPECTOR,
                               Role.SUPERINTENDENT})
# Releasing a police field to partners: operational police who decide on the case.
RELEASE_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.INSPECTOR, Role.SUPERINTENDENT,
                           Role.COORDINATOR})
# Partner users who keep the Philomena profile, and who report a child missing.
PROFILE_ROLES = frozenset({Role.CARE_WORKER, Role.SOCIAL_WORKER, Role.PARTNER_ADMIN})
PARTNER_REPORT_ROLES = PROFILE_ROLES
# Police who record which organisations are responsible for a child.
POLICE_RESPONSIBILITY_ROLES = frozenset({Role.COORDINATOR, Role.FORCE_ADMIN})
# Partner organisations: who manages them, who reads them.
ORGANISATION_MANAGE_ROLES = ADMIN_ROLES
ORGANISATION_READ_ROLES = frozenset({Role.FORCE_ADMIN, Role.COORDINATOR})

# --- issue 11: places as data --------------------------------------------------------------------
# Finding and recording a place (at intake, on the return): whoever takes or works a report.
PLACE_ROLES = CASE_READ_ROLES
# Correcting a place and merging duplicates: supervisors and the coordinator, who own the data.
PLACE_EDIT_ROLES = frozenset({Role.SUPERVISOR, Role.INSPECTOR, Role.SUPERINTENDENT,
                              Role.COORDINATOR})

# Correcting a child's record (with a reason, kept in its history): whoever takes or works a
# report, as they are the ones who learn that a detail was wrong.
CHILD_EDIT_ROLES = REPORT_ROLES

# --- issue 12: the force picture ---------------------------------------------------------------
# Aggregate figures of the force (no child is named): the analysts and the managers who plan the
# force's response.
INSIGHT_ROLES = ANALYSIS_ROLES
# Aggregate pages (the force picture, outcomes by grade, the deep dive): the insight roles, and
# the commissioner's office, who sees them with counts of 1 to 4 suppressed.
AGGREGATE_ROLES = INSIGHT_ROLES | {Role.COMMISSIONER}
SUPPRESSED_ROLES = frozenset({Role.COMMISSIONER})
# The possibly miscategorised list and its findings, and the assessments behind a consistency
# rate: they name episodes, so insight roles who also read case records.
GRADING_REVIEW_ROLES = INSIGHT_ROLES & CASE_READ_ROLES

# --- issue 14: people, vehicles, phones and handles as records (intelligence) -------------------
# Intelligence is police-only and need-to-know: the operational roles who read case records
# record and read it; never a partner, the commissioner's office, the analyst's identifiable
# view or the force administrator (ADR 49).
INTELLIGENCE_ROLES = CASE_READ_ROLES
# Merging duplicate entities and undoing a merge: supervisors and the coordinator, who own the
# data (as for places).
INTELLIGENCE_MERGE_ROLES = PLACE_EDIT_ROLES

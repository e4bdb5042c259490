from mispers.accounts.roles import (
    AGGREGATE_ROLES,
    ANALYSIS_ROLES,
    CASE_READ_ROLES,
    INTELLIGENCE_ROLES,
    MARKER_ROLES,
    MERGE_ROLES,
    RATIFY_ROLES,
    REPORT_ROLES,
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.organisation_id:
        from mispers.partners.navigation import partner_navigation

        context = partner_navigation(request)
        if "partner_admin" in user.role_codes and "nav_items" in context:  # ADR 16
            current = request.resolver_match.view_name if request.resolver_match else ""
            context["nav_items"] = [*context["nav_items"], {
                "url": "lockouts", "label": "Sign-in lockouts", "current": current == "lockouts"}]
        return context
    if user is not None and user.is_authenticated and not user.force_id \
            and "national_unit" in user.role_codes:  # the national unit (issue 13)
        current = request.resolver_match.view_name if request.resolver_match else ""
        return {"nav_items": [{"url": "national:hub", "label": "National hub",
                               "current": current == "national:hub"}]}
    if user is None or not user.is_authenticated or not user.force_id:
        return {}
    roles = user.role_codes
    items = []
    if roles & CASE_READ_ROLES:  # identifiable records: operational roles only (ADR 0018)
        items += [("episodes:open", "Open episodes"), ("reviews:mine", "My work")]
    if roles & REPORT_ROLES:
        items.append(("episodes:report", "New report"))
    if roles & CASE_READ_ROLES:
        items.append(("people:search", "Children"))
        items.append(("repeats:list", "Repeat children"))
        items.append(("places:index", "Places"))
    if roles & INTELLIGENCE_ROLES:  # issue 14: police only
        items.append(("intelligence:index", "Associates"))
    if (roles & INTELLIGENCE_ROLES or "analyst" in roles) and "commissioner" not in roles:
        items.append(("intelligence:network", "Network"))  # issue 14, ADR 50
    if roles & RATIFY_ROLES:
        items.append(("reviews:supervision", "Supervision"))
    if roles & (RATIFY_ROLES | {"call_handler"}):  # issue 10: the control room's queue
        items.append(("reviews:unallocated", "Unallocated"))
    if roles & RATIFY_ROLES:
        items.append(("risk:ratifications", "Ratifications"))
    if roles & MARKER_ROLES:  # the coordinator and supervisors
        items.append(("returns:coordinator", "Returns"))
        items.append(("repeats:meetings", "Strategy meetings"))
    if roles & MERGE_ROLES:
        items.append(("matching:queue", "Duplicates"))
    if roles & {"force_admin", "coordinator"}:  # partner organisations (ADR 0013)
        items.append(("partners:organisations", "Partners"))
    if "force_admin" in roles:  # failed sign-ins and lockouts of the force's users (ADR 16)
        items.append(("lockouts", "Sign-in lockouts"))
    if roles & AGGREGATE_ROLES:  # with the commissioner's office (ADR 41)
        items.append(("insights:force_picture", "Force picture"))
    if roles & ANALYSIS_ROLES:
        items.append(("analysis:overview", "Analysis"))
    if "data_protection" in roles:  # the access log (ADR 0019)
        items += [("audit:child", "Who looked at a child"), ("audit:user", "What a user saw")]
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "nav_items": [
            {"url": url, "label": label, "current": current == url} for url, label in items
        ],
        "current_force": user.force,
    }

from mispers.accounts.roles import MARKER_ROLES, RATIFY_ROLES, REPORT_ROLES


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.force_id:
        return {}
    roles = user.role_codes
    items = [("episodes:open", "Open episodes"), ("reviews:mine", "My work")]
    if roles & REPORT_ROLES:
        items.append(("episodes:report", "New report"))
    items.append(("people:search", "Children"))
    if roles & RATIFY_ROLES:
        items.append(("reviews:supervision", "Supervision"))
        items.append(("risk:ratifications", "Ratifications"))
    if roles & MARKER_ROLES:  # the coordinator and supervisors
        items.append(("returns:coordinator", "Returns"))
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "nav_items": [
            {"url": url, "label": label, "current": current == url} for url, label in items
        ],
        "current_force": user.force,
    }

"""The service navigation for partner users (mispers.accounts.context_processors calls this).
Append (route name, label) pairs to NAV_ITEMS for new partner pages."""

NAV_ITEMS = [("partners:home", "Your children"), ("partners:alerts", "Alerts"),
             ("partners:interviews", "Return-home interviews"),
             # An optional third element: only for users with one of these roles.
             ("partners:sharing", "Sharing log", {"partner_admin"}),
             ("partners:team", "Team", {"partner_admin"})]


def partner_navigation(request) -> dict:
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "nav_items": [{"url": url, "label": label, "current": current == url}
                      for url, label, *roles in NAV_ITEMS
                      if not roles or request.user.role_codes & roles[0]],
        "current_organisation": request.user.organisation,
    }

"""Partner alerts: what the organisation was told (a child missing, found, an interview to do),
and acknowledging each one. The partner home shows the ones not yet acknowledged
({% partner_alerts %} from partners_together)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from mispers.core.clock import now
from mispers.core.errors import DomainError, NotFound
from mispers.core.views import log_shown

from ..services.alerts import partner_alert_acknowledge
from ..working_selectors import partner_alerts_for
from . import partner_required

SHOWN = 100


@partner_required
def alerts(request):
    rows = list(partner_alerts_for(user=request.user, include_acknowledged=True)[:SHOWN])
    # The alerts name children: the list is a view of their records too.
    log_shown(request, [alert.episode for alert in rows if alert.episode_id])
    return render(request, "partners/alerts.html", {
        "waiting": [a for a in rows if a.acknowledged_at is None],
        "seen": [a for a in rows if a.acknowledged_at is not None],
    })


@partner_required
def alert_acknowledge(request, pk):
    if request.method != "POST":
        return redirect("partners:alerts")
    try:
        partner_alert_acknowledge(actor=request.user, now=now(), notification_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, "Alert acknowledged.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "partners:alerts"
    return redirect(target)

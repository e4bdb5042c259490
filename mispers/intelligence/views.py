"""Intelligence pages (issue 14): find the force's entities, record one, its page with its links
and timeline, merge and unmerge, link a child, and the suggestions read from free text to
confirm or dismiss. Police-only: partners, the commissioner's office, the analyst and the force
administrator are refused (403), another force's records are not found (404), and every page
that shows an entity or a link writes the access log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from mispers.casework.intelligence import (
    entity_merge_workflow,
    link_record,
    suggestion_confirm_workflow,
)
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, log_shown, next_url, or_404, require
from mispers.episodes.selectors import episodes_of_child
from mispers.people.selectors import child_for
from mispers.places.selectors import place_for

from .forms import EntityForm, EntitySearchForm, GradingForm, LinkForm, MergeForm, UnmergeForm
from .models import EntityKind
from .permissions import can_merge_entities, can_use_intelligence
from .selectors import (
    child_network,
    entity_duplicates,
    entity_for,
    entity_search,
    hub_rule_for,
    links_of_child,
    links_of_entity,
    merge_for,
    merges_of,
    suggestion_for,
    suggestions_open,
    timeline_of_child,
    timeline_of_entity,
)
from .services import entity_create, entity_unmerge, suggestion_dismiss
from .suggest import child_texts_read, rhi_source_ref

intelligence_required = require(can_use_intelligence)
merger_required = require(can_merge_entities)


def log_entities(request, entities) -> None:
    """One access-log row per entity shown (no child: the entity is the force's record)."""
    log_shown(request, [(entity.pk, None) for entity in entities], object_type="entity")


def tell_hub_alerts(request, alerts) -> None:
    """The banner after a link that joined a child to an exploitation hub (ADR 51)."""
    for alert in alerts:
        if alert is not None:
            messages.warning(request, alert.message)


def log_links(request, links) -> None:
    """One access-log row per link shown, naming its child."""
    log_shown(request, [(link.pk, link.child_id) for link in links],
              object_type="intelligence_link")


@intelligence_required
def index(request):
    form = EntitySearchForm(request.GET or None)
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    found = entity_search(user=request.user, text=text, kind=kind)
    log_entities(request, found)
    return render(request, "intelligence/index.html", {
        "search": form, "entities": found, "text": text,
        "suggestions": len(suggestions_open(user=request.user))})


@intelligence_required
def create(request):
    form = EntityForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    back = next_url(request, "")
    if request.method == "POST" and form.is_valid():
        place = None
        if form.cleaned_data["kind"] == EntityKind.PLACE and form.cleaned_data["place"]:
            try:
                place = place_for(user=request.user, place_id=form.cleaned_data["place"])
            except DomainError:
                form.add_error("place", "No place of your force has this reference")
        if not form.errors:
            try:
                entity = entity_create(actor=request.user, now=now(), place=place,
                                       **form.arguments())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{entity.label} recorded.")
                if back:
                    joiner = "&" if "?" in back else "?"
                    return redirect(f"{back}{joiner}entity={entity.pk}")
                return redirect("intelligence:detail", entity.pk)
    return render(request, "intelligence/create.html", {"form": form, "next": back})


def _entity_page(request, entity, *, merge_form=None, status=200):
    links = links_of_entity(user=request.user, entity=entity)
    log_entities(request, [entity])
    log_links(request, links)
    children = {link.child_id for link in links}
    return render(request, "intelligence/detail.html", {
        "entity": entity, "links": links, "children": len(children),
        "timeline": timeline_of_entity(user=request.user, entity=entity),
        "duplicates": entity_duplicates(entity=entity) if not entity.merged_into_id else [],
        "merges": merges_of(entity=entity),
        "may_merge": can_merge_entities(request.user, entity),
        "merge_form": merge_form or MergeForm(), "unmerge_form": UnmergeForm()}, status=status)


@intelligence_required
def detail(request, pk):
    entity = or_404(entity_for, user=request.user, entity_id=pk, include_merged=True)
    return _entity_page(request, entity)


@intelligence_required
def merge(request, pk):
    keep = or_404(entity_for, user=request.user, entity_id=pk)
    if not can_merge_entities(request.user, keep):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("intelligence:detail", keep.pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        duplicate = or_404(entity_for, user=request.user,
                           entity_id=form.cleaned_data["duplicate"])
        try:
            _, alerts = entity_merge_workflow(actor=request.user, now=now(), keep=keep,
                                              duplicate=duplicate,
                                              reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{duplicate.label} merged into {keep.label}.")
            tell_hub_alerts(request, alerts)
            return redirect("intelligence:detail", keep.pk)
    return _entity_page(request, keep, merge_form=form, status=400)


@merger_required
def unmerge(request, pk):
    merge_record = or_404(merge_for, user=request.user, merge_id=pk)
    if request.method != "POST":
        return redirect("intelligence:detail", merge_record.kept_id)
    form = UnmergeForm(request.POST)
    if form.is_valid():
        try:
            entity_unmerge(actor=request.user, now=now(), merge=merge_record,
                           reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Merge undone: {merge_record.duplicate.label} is a "
                                      "record of its own again.")
    else:
        messages.error(request, "Say why the merge is being undone")
    return redirect("intelligence:detail", merge_record.kept_id)


@intelligence_required
def child_link(request, pk):
    """Link a child to an entity: find it (or record it), then say what, when and the grading."""
    child = or_404(child_for, user=request.user, child_id=pk)
    log_shown(request, [child])
    chosen_id = request.POST.get("entity") or request.GET.get("entity")
    entity = None
    if chosen_id:
        entity = or_404(entity_for, user=request.user, entity_id=chosen_id)
        log_entities(request, [entity])
    episodes = list(episodes_of_child(user=request.user, child=child))
    form = LinkForm(request.POST or None, episodes=episodes,
                    initial={"occurred_on": now().date()})
    if request.method == "POST" and entity is not None and form.is_valid():
        data = form.cleaned_data
        episode = next((e for e in episodes if str(e.pk) == data["episode"]), None)
        try:
            linked = link_record(actor=request.user, now=now(), child=child, entity=entity,
                                 kind=data["kind"], occurred_on=data["occurred_on"],
                                 source=data["source"],
                                 source_evaluation=data["source_evaluation"],
                                 information_assessment=data["information_assessment"],
                                 handling_code=data["handling_code"], episode=episode,
                                 note=data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{child.given_name} linked to {entity.label}.")
            tell_hub_alerts(request, [linked.alert])
            return redirect(f"{child_url(child)}#intelligence")
    text = request.GET.get("q", "").strip()
    found = entity_search(user=request.user, text=text, limit=20) if text and not entity else []
    log_entities(request, found)
    return render(request, "intelligence/link.html", {
        "child": child, "entity": entity, "form": form, "found": found, "text": text,
        "search": EntitySearchForm(request.GET or None)})


def child_url(child) -> str:
    from django.urls import reverse

    return reverse("people:detail", args=[child.pk])


@intelligence_required
def child_read(request, pk):
    """Read the child's enquiry log and interviews again for suggestions (POST)."""
    child = or_404(child_for, user=request.user, child_id=pk)
    if request.method == "POST":
        made = child_texts_read(actor=request.user, now=now(), child=child)
        messages.success(request, f"{len(made)} new suggestion{'s' if len(made) != 1 else ''} "
                                  "to confirm." if made else "Nothing new to suggest.")
    return redirect(f"{child_url(child)}#intelligence")


@intelligence_required
def suggestions(request):
    open_ = suggestions_open(user=request.user)
    log_shown(request, [(s.pk, s.child_id) for s in open_], object_type="suggestion")
    return render(request, "intelligence/suggestions.html", {"suggestions": open_})


@intelligence_required
def suggestion(request, pk):
    """Confirm a suggestion (with the grading), or see it before dismissing it."""
    found = or_404(suggestion_for, user=request.user, suggestion_id=pk)
    log_shown(request, [(found.pk, found.child_id)], object_type="suggestion")
    form = GradingForm(request.POST or None, initial={
        "occurred_on": (found.episode.reported_at.date() if found.episode else now().date()),
        "kind": "named_at_interview" if "interview" in found.source else ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            linked = suggestion_confirm_workflow(
                actor=request.user, now=now(), suggestion=found, kind=data["kind"],
                occurred_on=data["occurred_on"], source_evaluation=data["source_evaluation"],
                information_assessment=data["information_assessment"],
                handling_code=data["handling_code"], note=data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{found.child.given_name} linked to "
                                      f"{linked.link.entity.label}.")
            tell_hub_alerts(request, [linked.alert])
            return redirect(next_url(request, f"{child_url(found.child)}#intelligence"))
    return render(request, "intelligence/suggestion.html", {"suggestion": found, "form": form,
                                                            "next": next_url(request, "")})


@intelligence_required
def suggestion_dismiss_view(request, pk):
    found = or_404(suggestion_for, user=request.user, suggestion_id=pk)
    if request.method == "POST":
        try:
            suggestion_dismiss(actor=request.user, now=now(), suggestion=found)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Suggestion {found.written} dismissed.")
    return redirect(next_url(request, f"{child_url(found.child)}#intelligence"))


def child_panel(request, child) -> dict:
    """The child page's panel "Associates, vehicles, phones and places": the child's links,
    open suggestions and timeline, for those who may read intelligence (nothing otherwise)."""
    if not can_use_intelligence(request.user) or child.force_id != request.user.force_id:
        return {"intelligence": None}
    links = links_of_child(user=request.user, child=child)
    log_links(request, links)
    network = child_network(user=request.user, child=child, on=now().date())  # ADR 50
    log_shown(request, [(other, other) for row in network for other, _ in row["others"]],
              object_type="network_child")
    return {"intelligence": {
        "network": network, "hub_rule": hub_rule_for(user=request.user),
        "links": links, "suggestions": suggestions_open(user=request.user, child=child),
        "timeline": timeline_of_child(user=request.user, child=child, limit=20),
        "may_link": not child.merged_into_id}}



def rhi_suggestions_panel(request, interview) -> dict:
    """The return-home interview page's police-only panel: the names, numbers and plates read
    from this interview, waiting to be confirmed (None for those who may not read
    intelligence, so the panel is not shown)."""
    if not can_use_intelligence(request.user) \
            or interview.episode.force_id != request.user.force_id:
        return {"text_suggestions": None}
    found = suggestions_open(user=request.user, source_ref=rhi_source_ref(interview))
    log_shown(request, [(s.pk, s.child_id) for s in found], object_type="suggestion")
    return {"text_suggestions": found}

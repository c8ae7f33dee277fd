"""The dashboard's collaboration pages: macros (supervisors keep them, agents insert them),
presence on a case, and merging a duplicate case into the one that is kept."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tickets import selectors
from tickets.agent.collab_forms import MacroForm, MergeForm, PresenceForm
from tickets.agent.links import case_workspace_href, see_other
from tickets.errors import ApplicationError
from tickets.models import Case, Macro
from tickets.services.macros import MacroNameTaken, macro_render, macro_save, macro_set_active
from tickets.services.merges import case_merge, merge_check
from tickets.services.presence import presence_report

# Supervisors keep a handful of macros; the list shows at most this many.
MACRO_LIST_MAX = 500
# The customer's other open cases offered as merge targets.
MERGE_SUGGESTIONS = 10


def _agent(view):
    """Signed in (else to the login page) and allowed to see cases (else 403)."""
    return login_required(permission_required("tickets.view_case", raise_exception=True)(view))


def _supervisor(view):
    """An agent page for supervisors only: anyone else gets a 403 in the agent layout."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.user_is_supervisor(user=request.user):
            return render(request, "tickets/agent/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return _agent(wrapped)


def macro_actions_text(macro: Macro) -> str:
    """What inserting `macro` will also do to the case, in words ("" when nothing)."""
    said = []
    if macro.set_status:
        said.append(
            _("Sets status to %(status)s.") % {"status": Case.Status(macro.set_status).label}
        )
    if macro.set_priority:
        said.append(
            _("Sets priority to %(priority)s.")
            % {"priority": Case.Priority(macro.set_priority).label}
        )
    if macro.add_tag_id:
        said.append(_("Adds tag %(tag)s.") % {"tag": macro.add_tag.name})  # type: ignore[union-attr]
    return " ".join(said)


# --- macros: supervisors ------------------------------------------------------------------------


@require_GET
@_supervisor
def agent_macro_list(request):
    macros = list(selectors.macro_list()[:MACRO_LIST_MAX])
    order = [code for code, _name in settings.LANGUAGES]
    rows = [
        (macro, sorted((text.language for text in macro.texts.all()), key=order.index))
        for macro in macros
    ]
    return render(request, "tickets/agent/macro_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@_supervisor
def agent_macro_new(request):
    form = MacroForm(request.POST or None, instance=Macro())
    return _macro_form(request, form, macro=None)


@require_http_methods(["GET", "POST"])
@_supervisor
def agent_macro_edit(request, pk: int):
    macro = selectors.macro_get(pk=pk)
    if macro is None:
        raise Http404
    action = request.POST.get("action")
    if action in {"activate", "deactivate"}:
        macro_set_active(macro=macro, active=action == "activate", actor=request.user)
        if action == "activate":
            messages.success(request, _("Macro “%(name)s” is offered again.") % {"name": macro})
        else:
            messages.success(request, _("Macro “%(name)s” is no longer offered.") % {"name": macro})
        return see_other(reverse("tickets:agent-macro-edit", args=[macro.pk]))
    form = MacroForm(request.POST or None, instance=macro)
    return _macro_form(request, form, macro=macro)


def _macro_form(request, form: MacroForm, *, macro: Macro | None):
    if request.method == "POST" and form.is_valid():
        try:
            saved = macro_save(
                macro=macro, values=form.values(), bodies=form.bodies(), actor=request.user
            )
        except MacroNameTaken as taken:
            form.add_error("name", str(taken))
        else:
            messages.success(request, _("Macro “%(name)s” saved.") % {"name": saved})
            return see_other(reverse("tickets:agent-macro-edit", args=[saved.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "tickets/agent/macro_form.html", {"form": form, "macro": macro}, status=status
    )


# --- macros: inserting one into a reply ---------------------------------------------------------


@require_GET
@never_cache
@_agent
def agent_case_macro(request, number: str, pk: int):
    case = selectors.case_get(number=number, user=request.user)
    macro = selectors.macro_get_active(pk=pk) if case is not None else None
    if macro is None:
        raise Http404
    return JsonResponse(
        {"text": macro_render(macro=macro, case=case), "actions": macro_actions_text(macro)}
    )


# --- presence -------------------------------------------------------------------------------------


@require_POST
@never_cache
@_agent
def agent_case_presence(request, number: str):
    case = selectors.case_ref(number=number, user=request.user)
    if case is None:
        raise Http404
    form = PresenceForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _("State must be “viewing” or “replying”.")}, status=400)
    others = presence_report(case=case, user=request.user, state=form.cleaned_data["state"])
    return JsonResponse(
        [{"name": other.name, "state": other.state, "seconds": other.seconds} for other in others],
        safe=False,
    )


# --- merging a duplicate --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_agent
def agent_case_merge(request, number: str):
    source = selectors.case_get(number=number, user=request.user)
    if source is None:
        raise Http404
    context = {"source": source, "target": None, "refusal": ""}
    if source.merged_into_id is not None:
        context["merged_into"] = source.merged_into
        context["merged_url"] = case_workspace_href(source.merged_into.number)
        return render(request, "tickets/agent/case_merge.html", context)
    data = request.POST if request.method == "POST" else request.GET
    form = MergeForm(data if "target" in data else None, initial={"version": source.version})
    context["form"] = form
    if not form.is_bound:
        return _merge_find(request, context, status=200)
    if not form.is_valid():
        return _merge_find(request, context, status=400)
    target = selectors.case_get(number=form.cleaned_data["target"], user=request.user)
    if target is None:
        form.add_error(
            "target",
            _("There is no case %(number)s that you can see.")
            % {"number": form.cleaned_data["target"]},
        )
        return _merge_find(request, context, status=404)
    context["target"] = target
    try:
        merge_check(source=source, target=target)
        if request.method == "GET":
            return render(request, "tickets/agent/case_merge.html", context)
        version = form.cleaned_data["version"]
        if version is not None:
            source.version = version
        case_merge(source=source, target=target, actor=request.user)
    except ApplicationError as refused:
        context["refusal"] = str(refused)
        return _merge_find(request, context, status=409)
    messages.success(
        request,
        _("Case %(source)s was merged into %(target)s; the customer was told.")
        % {"source": source.number, "target": target.number},
    )
    return see_other(case_workspace_href(target.number))


def _merge_find(request, context, *, status: int):
    """The merge page asking for the case to keep, with the customer's other open cases."""
    context["suggestions"] = selectors.case_merge_suggestions(
        case=context["source"], user=request.user, limit=MERGE_SUGGESTIONS
    )
    return render(request, "tickets/agent/case_merge.html", context, status=status)

"""Dashboard and portal shells. Views parse input, call a service or selector, render."""

from dataclasses import dataclass
from functools import wraps
from zoneinfo import ZoneInfo

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tickets import selectors
from tickets.downloads import attachment_response
from tickets.errors import ApplicationError
from tickets.models import Case, Notification
from tickets.services import queue
from tickets.services.notifications import reply_address
from tickets.services.ratings import (
    SCORES,
    RatingLinkExpired,
    RatingLinkInvalid,
    RatingLinkVoid,
    case_rate_by_link,
    rating_link_case,
)
from tickets.services.redelivery import notification_retry
from tickets.services.sms_texts import sms_segments

NOTIFICATIONS_PAGE_SIZE = 50
FILE_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
RATING_LABELS = {
    1: gettext_lazy("Poor"),
    2: gettext_lazy("Fair"),
    3: gettext_lazy("Good"),
    4: gettext_lazy("Very good"),
    5: gettext_lazy("Excellent"),
}
RATING_CHOICES = {str(score): score for score in RATING_LABELS}


def dev_outbox_enabled() -> bool:
    """The dev outbox exists in the embedded mode only: with DEBUG on, or while email is saved
    to files (no EMAIL_URL). It shows every message as sent, with the signed links in it
    (ratings, later magic links) that let whoever holds them act as the customer; with real
    delivery configured nobody but the customer should read those."""
    return settings.DEBUG or settings.EMAIL_BACKEND == FILE_EMAIL_BACKEND


def _dev_outbox_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not dev_outbox_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _supervisor_required(view):
    """Signed in (else to the login page), allowed to view notifications and a supervisor (else
    403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.user_is_supervisor(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(
        permission_required("tickets.view_notification", raise_exception=True)(wrapped)
    )


def _page(request, notifications):
    return Paginator(notifications, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))


@require_POST
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_check_workers(request):
    queue.enqueue_on_commit(queue.WORKER_HEARTBEAT)
    messages.info(request, _("A check was sent to the background workers; reload in a moment."))
    return redirect("tickets:agent-home")


# --- notifications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxEntry:
    """A notification with what its recipient saw beyond the row: the email's Reply-To, or how
    many parts the text took."""

    notification: Notification
    is_sms: bool
    reply_to: str
    segments: int


def _outbox_entry(notification: Notification) -> OutboxEntry:
    if notification.channel == Notification.Channel.SMS:
        segments = sms_segments(notification.body)
        return OutboxEntry(notification, is_sms=True, reply_to="", segments=segments)
    reply_to = reply_address(notification.case) if notification.case else ""
    return OutboxEntry(notification, is_sms=False, reply_to=reply_to, segments=0)


# The email previews are srcdoc frames, which inherit this page's Content-Security-Policy, and
# email HTML carries its styles inline (mail clients drop stylesheets). Inline styles are allowed
# here only; scripts stay forbidden, and the frames' empty sandbox runs none anyway.
@csp_update({"style-src": ["'unsafe-inline'"]})
@require_GET
@_dev_outbox_only
@_supervisor_required
def agent_outbox(request):
    # An unknown filter value shows everything rather than an error: the form only offers
    # known ones, so anything else is a stale or hand-edited link.
    channel = request.GET.get("channel", "")
    channel = channel if channel in Notification.Channel.values else ""
    status = request.GET.get("status", "")
    status = status if status in Notification.Status.values else ""
    notifications = selectors.notification_list(user=request.user, channel=channel, status=status)
    page = _page(request, notifications)
    return render(
        request,
        "tickets/notification_outbox.html",
        {
            "page": page,
            "entries": [_outbox_entry(notification) for notification in page],
            "channel": channel,
            "status": status,
            "channels": Notification.Channel.choices,
            "statuses": Notification.Status.choices,
            "from_email": settings.DEFAULT_FROM_EMAIL,
        },
    )


@require_GET
@login_required
@permission_required("tickets.view_notification", raise_exception=True)
def agent_notifications_failed(request):
    return render(
        request,
        "tickets/notification_failed.html",
        {"page": _page(request, selectors.notification_failed_list(user=request.user))},
    )


@require_POST
@login_required
@permission_required(["tickets.view_notification", "tickets.change_case"], raise_exception=True)
def agent_notification_retry(request, pk: int):
    notification = selectors.notification_get(pk=pk, user=request.user)
    if notification is None:
        raise Http404
    try:
        notification = notification_retry(
            notification=notification,
            actor=request.user,
            anyway=request.POST.get("anyway") == "1",
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        if notification.status != Notification.Status.PENDING:
            messages.info(request, _("That message has not failed (any more); nothing to retry."))
        elif notification.next_attempt_at > timezone.now():
            messages.success(
                request,
                _(
                    "The text to %(recipient)s waits for the end of the customer's quiet hours; "
                    "it goes out at %(time)s (their time)."
                )
                % {
                    "recipient": notification.recipient,
                    "time": formats.time_format(
                        notification.next_attempt_at.astimezone(
                            ZoneInfo(notification.customer.timezone)
                        ),
                        "H:i",
                    ),
                },
            )
        else:
            messages.success(
                request,
                _("The message to %(recipient)s is queued to be sent again.")
                % {"recipient": notification.recipient},
            )
    return redirect("tickets:agent-notifications-failed")


@require_GET
def short_link_follow(request, code: str):
    """/s/<code>, the short links in SMS: on to the page on SITE_URL, or 404."""
    target = selectors.short_link_target(code=code)
    if target is None:
        raise Http404
    return redirect(f"{settings.SITE_URL}{target}")


@require_GET
@login_required
@permission_required("tickets.view_attachment", raise_exception=True)
def agent_attachment_download(request, pk: int):
    """A case's file, for agents who see the case only: media is never served as public static
    files. Always a download (Content-Disposition: attachment), and inert (downloads.py)."""
    attachment = selectors.attachment_get(pk=pk, user=request.user)
    if attachment is None:
        raise Http404
    return attachment_response(request, attachment)


# --- portal -----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def portal_rate(request, token: str, score: str):
    """A rating link of the resolution email. Opening it (GET, HEAD) shows a confirm page with
    `score` chosen and records nothing, so the mail scanners that fetch every link of an email
    rate nothing; the customer's POST from that page (CSRF-protected) records the score.

    The signed token is the customer's only credential: a forged one is a 404; an expired or
    void one (the case was reopened or closed since) a 410 page saying so. Pages are in the
    case's language, whatever the browser says."""
    try:
        if request.method != "POST":
            case = rating_link_case(token=token)
            return _rating_page(request, case, "tickets/case_rate.html", token, int(score))
        chosen = RATING_CHOICES.get(request.POST.get("score", ""))
        if chosen is None:
            case = rating_link_case(token=token)
            return _rating_page(
                request, case, "tickets/case_rate.html", token, None, status=400, invalid=True
            )
        case = case_rate_by_link(token=token, score=chosen)
        return _rating_page(request, case, "tickets/case_rate_thanks.html", token, chosen)
    except RatingLinkInvalid:
        return render(request, "tickets/case_rate_invalid.html", status=404)
    except (RatingLinkExpired, RatingLinkVoid) as exc:
        reason = getattr(exc, "reason", "expired")
        return _rating_page(
            request, exc.case, "tickets/case_rate_gone.html", token, None, status=410, reason=reason
        )


def _rating_page(
    request, case: Case, template: str, token: str, score: int | None, *, status=200, **context
):
    # The customer's language, whatever the browser that opened the link says.
    with translation.override(case.language):
        response = render(
            request,
            template,
            {
                "case": case,
                "token": token,
                "score": score,
                "label": RATING_LABELS.get(score or 0, ""),
                "choices": [(choice, RATING_LABELS[choice]) for choice in SCORES],
                "current_label": RATING_LABELS.get(case.satisfaction or 0, ""),
                "max_age_days": settings.RATING_LINK_MAX_AGE_DAYS,
                **context,
            },
            status=status,
        )
    response["Content-Language"] = case.language
    return response

"""System checks: refuse a bad combination of settings at start-up."""

from decimal import Decimal

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.urls import NoReverseMatch
from django.utils.module_loading import import_string

from tickets.models import Case, CaseVisibility
from tickets.scenarios import scenario_get, scenario_list
from tickets.services.sms_texts import sample_short_link, sms_link_base, sms_overlong
from tickets.services.timeline import verb_choices
from tickets.validators import CURRENCIES


@register()
def aftersales_settings_check(app_configs, **kwargs):
    errors = []
    if settings.BASE_CURRENCY not in CURRENCIES:
        errors.append(
            Error(
                f"BASE_CURRENCY={settings.BASE_CURRENCY!r} is not an ISO-4217 code.", id="as.E001"
            )
        )
    if Decimal(0) > settings.COMPENSATION_APPROVAL_THRESHOLD:
        errors.append(Error("COMPENSATION_APPROVAL_THRESHOLD cannot be negative.", id="as.E002"))
    if settings.CASE_AUTOCLOSE_DAYS < 1:
        errors.append(Error("CASE_AUTOCLOSE_DAYS must be at least 1.", id="as.E003"))
    try:
        import_string(settings.SMS_BACKEND)
    except ImportError as exc:
        errors.append(Error(f"SMS_BACKEND cannot be imported: {exc}", id="as.E004"))
    twilio = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM")
    if settings.SMS_BACKEND == "tickets.sms.TwilioBackend" and not all(
        getattr(settings, name) for name in twilio
    ):
        errors.append(Error("SMS_BACKEND is Twilio: set " + ", ".join(twilio) + ".", id="as.E005"))
    return errors


@register()
def evidence_limits_check(app_configs, **kwargs):
    """The evidence limits leave room for at least one file of the largest size."""
    errors = []
    for name in ("EVIDENCE_MAX_FILE_BYTES", "EVIDENCE_MAX_FILES", "EVIDENCE_MAX_PIXELS"):
        if getattr(settings, name) < 1:
            errors.append(Error(f"{name} must be at least 1.", id="as.E030"))
    if settings.EVIDENCE_MAX_BODY_BYTES < settings.EVIDENCE_MAX_FILE_BYTES:
        errors.append(
            Error(
                "EVIDENCE_MAX_BODY_BYTES is smaller than EVIDENCE_MAX_FILE_BYTES: a form could "
                "never carry a file of the largest size. Leave it unset, or set it to "
                "EVIDENCE_MAX_FILES × EVIDENCE_MAX_FILE_BYTES + 1 MiB.",
                id="as.E031",
            )
        )
    return errors


@register()
def aftersales_scenarios_check(app_configs, **kwargs):
    """Every case kind has its scenario (a second one for a kind is refused when it registers),
    and what a scenario names exists: timeline verbs and the portal entry's URL."""
    errors = []
    for kind in Case.Kind.values:
        if scenario_get(kind) is None:
            errors.append(
                Error(
                    f"Case kind {kind!r} has no scenario: its app must call "
                    "tickets.scenarios.scenario_register() from AppConfig.ready().",
                    id="as.E006",
                )
            )
    verbs = {verb for verb, _label in verb_choices()}
    for scenario in scenario_list():
        named = [milestone.event.verb for milestone in scenario.milestones]
        named += [match.verb for clock in scenario.clocks for match in (clock.start, clock.stop)]
        for verb in sorted(set(named) - verbs):
            errors.append(
                Error(
                    f"Scenario {scenario.kind!r} names the timeline verb {verb!r}, which no "
                    "enumeration registered (tickets.services.timeline.verbs_register).",
                    id="as.E007",
                )
            )
        for entry in scenario.portal:
            try:
                entry.url(order_id=1)
            except NoReverseMatch:
                errors.append(
                    Error(
                        f"Scenario {scenario.kind!r}: the portal URL name {entry.url_name!r} of "
                        f"branch {entry.key!r} does not reverse with an order_id.",
                        id="as.E008",
                    )
                )
    return errors


@register()
def sms_length_check(app_configs, **kwargs):
    """Every SMS, in every language, must fit one segment with the short links notify() puts
    in it: refuse a link base (SMS_LINK_BASE_URL, else SITE_URL) too long for that."""
    link = sample_short_link()
    overlong = sms_overlong(link=link)
    if not overlong:
        return []
    worst = max(overlong, key=lambda sms: sms.segments)
    return [
        Error(
            f"{len(overlong)} SMS would take more than one segment with links like {link} "
            f"({len(link)} characters), e.g. {worst.event} in {worst.language}: {worst.text!r}.",
            hint=(
                f"Set SMS_LINK_BASE_URL to a shorter address that reaches this site (now "
                f"{sms_link_base()!r}; the /s/<code> links are answered by this app), or a "
                "shorter CASE_NUMBER_PREFIX."
            ),
            id="as.E009",
        )
    ]


@register(Tags.security, deploy=True)
def aftersales_deploy_check(app_configs, **kwargs):
    warnings = []
    local_backends = {
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    }
    if settings.EMAIL_BACKEND in local_backends:
        warnings.append(
            Warning("EMAIL_URL is not set: customers' email is only saved locally.", id="as.W001")
        )
    if not settings.REDIS_URL:
        warnings.append(
            Warning("REDIS_URL is not set: Celery uses the local filesystem broker.", id="as.W003")
        )
    return warnings


@register()
def access_settings_check(app_configs, **kwargs):
    """The access rules' settings (visibility, lockout, client address)."""
    errors = []
    if settings.CASE_VISIBILITY not in CaseVisibility.values:
        errors.append(
            Error(
                f"CASE_VISIBILITY={settings.CASE_VISIBILITY!r}: use one of "
                + ", ".join(CaseVisibility.values)
                + ".",
                id="as.E010",
            )
        )
    if settings.LOGIN_FAILURE_LIMIT < 1:
        errors.append(Error("LOGIN_FAILURE_LIMIT must be at least 1.", id="as.E011"))
    if settings.LOGIN_LOCKOUT_MINUTES < 1:
        errors.append(Error("LOGIN_LOCKOUT_MINUTES must be at least 1.", id="as.E012"))
    if settings.TRUSTED_PROXY_COUNT < 1:
        errors.append(Error("TRUSTED_PROXY_COUNT must be at least 1.", id="as.E013"))
    return errors

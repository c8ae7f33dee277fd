"""Start-up refuses evidence limits that could never let a file through."""

from tickets.checks import evidence_limits_check


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_the_default_limits_pass():
    assert evidence_limits_check(None) == []


def test_a_body_limit_below_the_file_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BODY_BYTES = settings.EVIDENCE_MAX_FILE_BYTES - 1

    assert ids(evidence_limits_check(None)) == ["as.E031"]


def test_a_limit_of_zero_is_refused(settings):
    settings.EVIDENCE_MAX_FILES = 0

    assert ids(evidence_limits_check(None)) == ["as.E030"]

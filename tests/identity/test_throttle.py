import logging
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from egov.identity import services
from egov.identity.models import SignInAttempt
from tests.identity.conftest import PASSWORD

pytestmark = pytest.mark.django_db
IP = "203.0.113.7"


class Clock:
    """A controllable clock: each call to ``sign_in`` gets ``now=clock.now``."""

    def __init__(self):
        self.now = timezone.now()

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Request:
    def __init__(self, ip: str = IP):
        self.META = {"REMOTE_ADDR": ip}


def attempt(clock, username="0912345678", password="wrong", ip=IP):
    return services.sign_in(username, password, request=Request(ip), now=clock.now)


def fail(clock, times, **kwargs):
    for _ in range(times):
        with pytest.raises(services.InvalidCredentials):
            attempt(clock, **kwargs)


def test_wrong_password_is_invalid_credentials_and_logged(citizen, caplog):
    clock = Clock()
    with caplog.at_level(logging.WARNING, logger="egov.security"):
        fail(clock, 1)
    record = SignInAttempt.objects.get()
    assert (record.username, record.ip, record.success) == ("0912345678", IP, False)
    assert "09******78" in caplog.text and IP in caplog.text
    assert "0912345678" not in caplog.text


def test_any_form_of_the_phone_signs_in_and_counts_as_one_username(citizen):
    clock = Clock()
    assert attempt(clock, username="+84 912.345.678", password=PASSWORD) == citizen
    clock.advance(1)
    fail(clock, 4, username="84912345678")
    fail(clock, 1, username="0912 345 678")
    with pytest.raises(services.TooManyAttempts):
        attempt(clock, username="0912345678", password=PASSWORD)


def test_after_five_failures_even_the_right_password_waits_30_seconds(citizen):
    clock = Clock()
    fail(clock, 5)
    clock.advance(29)
    with pytest.raises(services.TooManyAttempts) as info:
        attempt(clock, password=PASSWORD)
    assert info.value.status == 429 and info.value.code == "too_many_attempts"
    assert "thử lại sau" in info.value.message
    assert "khoảng 1 giây" in info.value.message
    assert info.value.retry_at == clock.now + timedelta(seconds=1)
    clock.advance(1)
    assert attempt(clock, password=PASSWORD) == citizen


def test_the_delay_doubles_with_each_further_failure_up_to_the_cap(citizen):
    clock = Clock()
    fail(clock, 5)
    delays = []
    for _ in range(6):
        throttle = services.check_throttle("0912345678", IP, now=clock.now)
        delays.append((throttle.retry_at - clock.now).total_seconds())
        clock.now = throttle.retry_at
        fail(clock, 1)
    assert delays == [30, 60, 120, 240, 480, 900]  # 960 capped at 15 minutes
    throttle = services.check_throttle("0912345678", IP, now=clock.now)
    assert (throttle.retry_at - clock.now).total_seconds() == 900  # capped at 15 minutes


def test_refused_attempts_do_not_lengthen_the_wait(citizen):
    clock = Clock()
    fail(clock, 5)
    retry_at = services.check_throttle("0912345678", IP, now=clock.now).retry_at
    for _ in range(10):
        clock.advance(1)
        with pytest.raises(services.TooManyAttempts):
            attempt(clock)
    assert services.check_throttle("0912345678", IP, now=clock.now).retry_at == retry_at
    assert SignInAttempt.objects.filter(refused=True).count() == 10


def test_failures_older_than_the_window_are_forgotten(citizen):
    clock = Clock()
    fail(clock, 4)
    clock.advance(15 * 60 + 1)
    fail(clock, 4)
    assert services.check_throttle("0912345678", IP, now=clock.now).allowed


def test_a_success_resets_the_username_count_but_not_the_ip_count(citizen):
    clock = Clock()
    fail(clock, 4)
    clock.advance(1)
    attempt(clock, password=PASSWORD)
    clock.advance(1)
    fail(clock, 4, ip="198.51.100.2")
    assert services.check_throttle("0912345678", "198.51.100.1", now=clock.now).allowed
    with override_settings(EGOV_SIGNIN_MAX_FAILURES_PER_IP=5):
        # The fifth failure from IP, whatever the successes in between.
        fail(clock, 1)
        assert not services.check_throttle("someone-else", IP, now=clock.now).allowed


def test_failures_each_within_the_window_of_the_next_keep_counting(citizen):
    clock = Clock()
    for _ in range(5):
        fail(clock, 1)
        clock.advance(10 * 60)
    clock.advance(-10 * 60)
    assert not services.check_throttle("0912345678", IP, now=clock.now).allowed


def test_one_ip_trying_many_usernames_is_throttled(citizen):
    clock = Clock()
    for n in range(20):
        with pytest.raises(services.InvalidCredentials):
            attempt(clock, username=f"09000000{n:02d}")
    with pytest.raises(services.TooManyAttempts):
        attempt(clock, password=PASSWORD)
    # The real owner on another network is not locked out by someone else's guessing.
    assert attempt(clock, password=PASSWORD, ip="198.51.100.1") == citizen


@override_settings(EGOV_SIGNIN_MAX_FAILURES=2, EGOV_SIGNIN_BASE_DELAY_SECONDS=10)
def test_thresholds_are_settings(citizen):
    clock = Clock()
    fail(clock, 2)
    throttle = services.check_throttle("0912345678", IP, now=clock.now)
    assert (throttle.retry_at - clock.now).total_seconds() == 10


def test_one_person_mistyping_does_not_lock_out_their_office(citizen):
    clock = Clock()
    fail(clock, 5, username="0987654321")
    assert not services.check_throttle("0987654321", IP, now=clock.now).allowed
    assert attempt(clock, password=PASSWORD) == citizen  # same IP, another account


def test_long_waits_are_told_in_minutes(citizen):
    clock = Clock()
    fail(clock, 5)
    for _ in range(4):
        clock.now = services.check_throttle("0912345678", IP, now=clock.now).retry_at
        fail(clock, 1)
    message = services.check_throttle("0912345678", IP, now=clock.now).message(clock.now)
    assert "khoảng 8 phút" in message

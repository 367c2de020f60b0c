"""The public front door's throttle (intake.throttle): a fixed window per client address
in the Django cache, 5 reports an hour and 20 a day by default, from the settings."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from jeugdketen.intake import throttle

pytestmark = pytest.mark.django_db

# A moment at the start of an hour and of a day (UTC), so the windows below are clear.
DAY_START = 1_800_230_400.0
assert DAY_START % throttle.DAY == 0


cache = caches["throttle"]  # the throttle's own cache (a database table; settings.CACHES)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_sixth_report_in_an_hour_is_refused_with_the_wait():
    now = DAY_START + 600
    for _ in range(5):
        assert throttle.take("192.0.2.1", now=now).allowed
    refused = throttle.take("192.0.2.1", now=now)
    assert not refused.allowed
    assert refused.retry_after == 3000  # the rest of the hour
    assert not throttle.check("192.0.2.1", now=now).allowed


def test_the_count_is_per_address():
    now = DAY_START + 60
    for _ in range(5):
        assert throttle.take("192.0.2.1", now=now).allowed
    assert throttle.take("192.0.2.2", now=now).allowed
    assert throttle.take("2001:db8::1", now=now).allowed
    assert not throttle.take("192.0.2.1", now=now).allowed


def test_the_next_hour_allows_again_until_twenty_a_day():
    for hour in range(4):
        now = DAY_START + hour * throttle.HOUR + 5
        for _ in range(5):
            assert throttle.take("192.0.2.1", now=now).allowed
        assert not throttle.take("192.0.2.1", now=now).allowed
    later = DAY_START + 4 * throttle.HOUR + 5
    refused = throttle.take("192.0.2.1", now=later)
    assert not refused.allowed
    assert refused.retry_after == throttle.DAY - 4 * throttle.HOUR - 5  # until the day ends
    assert throttle.take("192.0.2.1", now=DAY_START + throttle.DAY + 1).allowed


def test_refused_attempts_and_given_back_places_do_not_count():
    now = DAY_START + 10
    for _ in range(4):
        taken = throttle.take("192.0.2.1", now=now)
        throttle.give_back("192.0.2.1", taken)  # bad input: no report made
    for _ in range(5):
        assert throttle.take("192.0.2.1", now=now).allowed
    for _ in range(10):
        assert not throttle.take("192.0.2.1", now=now).allowed
    # The refused ten did not eat the day: three more hours of five fit in it.
    for hour in range(1, 4):
        for _ in range(5):
            assert throttle.take("192.0.2.1", now=now + hour * throttle.HOUR).allowed


def test_check_counts_nothing():
    now = DAY_START + 10
    for _ in range(20):
        assert throttle.check("192.0.2.1", now=now).allowed
    assert throttle.take("192.0.2.1", now=now).allowed


def test_limits_come_from_the_settings(settings):
    settings.INTAKE_PUBLIC_REPORTS_PER_HOUR = 2
    settings.INTAKE_PUBLIC_REPORTS_PER_DAY = 3
    now = DAY_START + 10
    assert throttle.take("192.0.2.1", now=now).allowed
    assert throttle.take("192.0.2.1", now=now).allowed
    assert not throttle.take("192.0.2.1", now=now).allowed
    assert throttle.take("192.0.2.1", now=now + throttle.HOUR).allowed
    assert not throttle.take("192.0.2.1", now=now + 2 * throttle.HOUR).allowed


def test_the_cache_holds_no_address():
    throttle.take("192.0.2.77", now=DAY_START)
    key = throttle._key("192.0.2.77", throttle.HOUR, DAY_START)
    assert cache.get(key) == 1
    assert "192.0.2.77" not in key


def test_the_cache_alias_comes_from_the_settings(settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": "throttle-test-default"},
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                   "LOCATION": "throttle-test-shared"},
    }
    settings.INTAKE_THROTTLE_CACHE = "shared"
    throttle.take("192.0.2.88", now=DAY_START)
    key = throttle._key("192.0.2.88", throttle.HOUR, DAY_START)
    assert caches["shared"].get(key) == 1
    assert caches["default"].get(key) is None

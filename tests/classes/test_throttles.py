"""Issue 11, sign-in and throttles: join-code guessing is limited per browser, per address and per
class code, with the real client address read from the proxy's header only when the request
comes from a trusted proxy; wrong passwords lock a username from that client only."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from makerroom.core import throttle

from courses.classes import services
from courses.classes.models import Membership

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.2"
SCHOOL_NAT = "203.0.113.7"  # documentation addresses (RFC 5737): only strings in headers
OTHER_SCHOOL = "198.51.100.20"


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def browser(address=SCHOOL_NAT, forwarded=None):
    """A new browser (its own cookies) at `address`, or behind the proxy when `forwarded` is set."""
    if forwarded is None:
        return Client(REMOTE_ADDR=address)
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def join(client, code, name):
    return client.post(
        en("classes:join"),
        {"code": code, "display_name": name, "password1": "maker-kid-2026", "password2": "maker-kid-2026"},
    )


def test_client_address_comes_from_the_header_only_behind_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXIES = [PROXY, "127.0.1.0/24"]
    behind = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {SCHOOL_NAT}, 127.0.1.9")
    assert throttle.client_ip(behind) == SCHOOL_NAT  # the last hop no trusted proxy added
    direct = rf.get("/", REMOTE_ADDR=OTHER_SCHOOL, HTTP_X_FORWARDED_FOR=SCHOOL_NAT)
    assert throttle.client_ip(direct) == OTHER_SCHOOL  # anyone else's header is ignored
    garbage = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert throttle.client_ip(garbage) == PROXY
    settings.TRUSTED_PROXIES = []
    assert throttle.client_ip(behind) == PROXY


def test_a_class_of_45_joins_in_one_minute_from_one_address(school_class):
    """A whole class behind the school's NAT address, several children mistyping the code first."""
    for number in range(45):
        child = browser()
        if number % 3 == 0:
            assert child.post(en("classes:join"), {"code": "WRONG1"}).status_code == 400
        assert join(child, school_class.join_code, f"同学{number:02d}").status_code == 200
    assert Membership.objects.filter(school_class=school_class).count() == 45


def test_ten_wrong_codes_from_one_browser_are_throttled_but_not_its_classmates(school_class):
    guesser = browser()
    for _ in range(throttle.JOIN_LIMIT):
        assert guesser.post(en("classes:join"), {"code": "WRONG1"}).status_code == 400
    assert join(guesser, school_class.join_code, "小明").status_code == 429
    classmate = browser()  # same NAT address, another browser
    assert join(classmate, school_class.join_code, "小红").status_code == 200
    assert list(Membership.objects.values_list("student__display_name", flat=True)) == ["小红"]


def test_a_guesser_who_drops_cookies_meets_the_address_limit(school_class, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    for _ in range(throttle.JOIN_ADDRESS_LIMIT):
        assert browser(forwarded=OTHER_SCHOOL).post(en("classes:join"), {"code": "WRONG1"}).status_code == 400
    assert join(browser(forwarded=OTHER_SCHOOL), school_class.join_code, "小刚").status_code == 429
    # Another client behind the same proxy is not blocked: the proxy is not the client.
    assert join(browser(forwarded=SCHOOL_NAT), school_class.join_code, "小明").status_code == 200
    # A forged header from an untrusted address does not give a guesser fresh addresses: every
    # guess counts against the address it really comes from, not the one it wrote.
    forger = "198.51.100.21"
    for number in range(throttle.JOIN_ADDRESS_LIMIT):
        browser(forger).post(en("classes:join"), {"code": "WRONG1"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert join(browser(forger), school_class.join_code, "小华").status_code == 429
    assert join(browser(forwarded="192.0.2.1"), school_class.join_code, "小丽").status_code == 200


def test_one_class_code_makes_a_class_worth_of_accounts_not_hundreds(school_class, monkeypatch):
    monkeypatch.setattr(throttle, "JOIN_CODE_LIMIT", 3)
    for number in range(3):
        assert (
            join(browser(f"203.0.113.{number + 10}"), school_class.join_code, f"同学{number}").status_code
            == 200
        )
    assert join(browser("203.0.113.99"), school_class.join_code, "第四个").status_code == 429
    assert Membership.objects.filter(school_class=school_class).count() == 3


def test_wrong_passwords_lock_a_username_from_that_client_only(school_class, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    other = services.join_new_student(school_class, display_name="小红", password="maker-kid-2026")
    attacker = browser(forwarded=OTHER_SCHOOL)
    url = en("accounts:login")
    for _ in range(throttle.LOGIN_LIMIT):
        assert attacker.post(url, {"username": student.username, "password": "guess-0000"}).status_code == 200
    locked = attacker.post(url, {"username": student.username, "password": "maker-kid-2026"})
    assert locked.status_code == 200 and "Too many attempts" in locked.content.decode()
    # The child, at school behind the same proxy, still logs in; so does another child from there.
    child = browser(forwarded=SCHOOL_NAT)
    assert child.post(url, {"username": student.username, "password": "maker-kid-2026"}).status_code == 302
    assert attacker.post(url, {"username": other.username, "password": "maker-kid-2026"}).status_code == 302
    assert get_user_model().objects.get(pk=student.pk).is_active

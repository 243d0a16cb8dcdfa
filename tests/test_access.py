"""Signed links: keys verify only for their own collective or role, in constant time."""

from __future__ import annotations

import hmac

import pytest

from ilc_widgets import access
from ilc_widgets.access import access_query, parse_query, verify

SECRET = "s3cret-for-tests"


def test_collective_key_verifies_only_its_collective():
    params = parse_query(access_query(SECRET, collective="att-1"))
    assert verify(SECRET, params).role == "participant"
    assert verify(SECRET, params).collective == "att-1"
    other = dict(params, collective="grd-1")
    assert verify(SECRET, other).role == "denied"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "collective=att-1",
        "collective=att-1&key=",
        "collective=att-1&key=AAAAAAAAAAAAAAAAAAAAAA",
        "role=facilitator&key=AAAAAAAAAAAAAAAAAAAAAA",
        "role=admin&key=whatever",
    ],
)
def test_missing_or_wrong_keys_are_denied(query):
    grant = verify(SECRET, parse_query(query))
    assert not grant.allowed
    assert grant.reason


def test_facilitator_and_intake_keys_are_distinct():
    fac = parse_query(access_query(SECRET, role="facilitator"))
    intake = parse_query(access_query(SECRET, role="intake"))
    assert verify(SECRET, fac).role == "facilitator"
    assert verify(SECRET, intake).role == "intake"
    assert fac["key"] != intake["key"]
    # an intake key does not open the facilitator role, nor a collective
    assert verify(SECRET, {"role": "facilitator", "key": intake["key"]}).role == "denied"
    assert verify(SECRET, {"collective": "intake", "key": intake["key"]}).role == "denied"


def test_rotating_the_secret_invalidates_old_keys():
    params = parse_query(access_query(SECRET, collective="att-1"))
    assert verify("another secret", params).role == "denied"


def test_keys_are_compared_in_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(access.hmac, "compare_digest", spy)
    verify(SECRET, parse_query(access_query(SECRET, collective="att-1")))
    assert calls, "verification must go through hmac.compare_digest"


def test_notebook_url():
    url = access.notebook_url("http://h:1/", "00_home.ipynb", "collective=a&key=b")
    assert url == "http://h:1/voila/render/00_home.ipynb?collective=a&key=b"

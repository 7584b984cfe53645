"""The admin login: bearer token or a signed, expiring cookie from this site."""

from __future__ import annotations

from assistant.core.adminlogin import COOKIE, AdminLogin

NOW = 1_800_000_000.0


def login(token: str | None = "geheim", session_s: int = 3600) -> AdminLogin:
    return AdminLogin(token, session_s)


def test_without_a_token_nothing_is_allowed():
    off = login(None)
    assert not off.enabled
    assert not off.token_ok("")
    assert not off.cookie_ok(login().new_cookie(NOW), NOW)
    assert not off.allows({"authorization": "Bearer "}, {})


def test_the_token_counts_only_as_itself():
    admin = login()
    assert admin.token_ok("geheim")
    assert not admin.token_ok("geheim ") and not admin.token_ok("") and not admin.token_ok(None)


def test_a_cookie_holds_until_it_expires():
    admin = login(session_s=3600)
    cookie = admin.new_cookie(NOW)
    assert admin.cookie_ok(cookie, NOW + 1)
    assert admin.cookie_ok(cookie, NOW + 3599)
    assert not admin.cookie_ok(cookie, NOW + 3600)


def test_a_forged_or_foreign_cookie_is_refused():
    admin = login()
    cookie = admin.new_cookie(NOW)
    version, expires, signature = cookie.split(".")
    later = f"{version}.{int(expires) + 10_000}.{signature}"  # extended by hand
    flipped = f"{version}.{expires}.{signature[:-1]}{'0' if signature[-1] != '0' else '1'}"
    for bad in (later, flipped, "v1.abc.def", "", "v2" + cookie[2:], cookie + "x"):
        assert not admin.cookie_ok(bad, NOW), bad
    assert not login("ander-token").cookie_ok(cookie, NOW)  # a new token logs everyone out


def test_an_expiry_beyond_the_session_length_is_refused():
    long = login(session_s=10 * 3600)
    assert not login(session_s=3600).cookie_ok(long.new_cookie(NOW), NOW)


def test_allows_reads_the_bearer_header_or_the_cookie():
    admin = login()
    assert admin.allows({"authorization": "Bearer geheim"}, {})
    assert admin.allows({"authorization": "bearer geheim"}, {})
    assert not admin.allows({"authorization": "Basic geheim"}, {})
    assert not admin.allows({"authorization": "Bearer fout"}, {})
    assert admin.allows({}, {COOKIE: admin.new_cookie()})
    assert not admin.allows({}, {})


def test_the_cookie_does_not_count_for_requests_from_other_sites():
    admin = login()
    cookies = {COOKIE: admin.new_cookie()}
    assert admin.allows({"sec-fetch-site": "same-origin"}, cookies)
    assert admin.allows({"sec-fetch-site": "none"}, cookies)  # typed into the address bar
    assert not admin.allows({"sec-fetch-site": "cross-site"}, cookies)
    assert not admin.allows({"sec-fetch-site": "same-site"}, cookies)
    # the bearer token is not a browser credential: it counts from anywhere
    assert admin.allows({"sec-fetch-site": "cross-site", "authorization": "Bearer geheim"}, {})

"""The web UI as a person uses it, in order: log in, connect Plex, copy the webhook URL, settle a
conflict raised by a real payload, see the episode watched, find a failure and why, turn a show's
sync off, sign in with Plex, pick the server and import the library. Every page is checked with
axe-core and saved as screenshots at 1280 and 390 px."""
import re
import time

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import capture
from daemon import ADMIN_PASSWORD, scrobble
from fake_plex import GOOD_TOKEN

state = {}


def wait(driver, seconds=10):
    # A page that is being replaced by the next one leaves stale elements behind: look again.
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,))


def wait_toast(driver, expected):
    """Waits until a toast (the page's result message) says `expected`; returns all toasts' text."""
    def says(d):
        text = " | ".join(e.get_attribute("textContent") for e in d.find_elements(By.CSS_SELECTOR, ".toast span"))
        return text if expected in text else False
    try:
        return wait(driver).until(says)
    except Exception:
        shown = [e.get_attribute("textContent") for e in driver.find_elements(By.CSS_SELECTOR, ".toast span")]
        raise AssertionError(f"no toast says {expected!r}; toasts: {shown}")


def wait_for_status(daemon, log_id, wanted, seconds=10):
    token = state.setdefault("token", daemon.api_token())
    deadline = time.time() + seconds
    log = {}
    while time.time() < deadline:
        log = daemon.api(f"/api/plex/logs/{log_id}", token)
        if log["status"] == wanted:
            return log
        time.sleep(0.1)
    raise AssertionError(f"webhook {log_id} is {log.get('status')}, not {wanted}: {log.get('error_message')}")


def show_id(daemon, key):
    token = state.setdefault("token", daemon.api_token())
    shows = daemon.api("/api/shows?limit=500", token)["items"]
    return next(show["id"] for show in shows if show["key"] == key)


def test_logged_out_visitor_is_sent_to_login(daemon, browser, axe_results):
    browser.get(daemon.base + "/conflicts")
    assert "/login?next=/conflicts" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, "label[for=password]").text == "Password"
    assert capture(browser, "login", axe_results) == []


def test_wrong_password_is_refused_then_login_by_keyboard(daemon, browser):
    browser.find_element(By.ID, "username").send_keys("admin")
    browser.find_element(By.ID, "password").send_keys("not the password", Keys.ENTER)
    error = wait(browser).until(EC.visibility_of_element_located((By.ID, "login-error")))
    assert "Wrong username or password" in error.text
    browser.find_element(By.ID, "password").send_keys(ADMIN_PASSWORD, Keys.ENTER)
    wait(browser).until(EC.url_to_be(daemon.base + "/conflicts"))
    wait_toast(browser, "Welcome, admin")
    assert browser.find_element(By.CSS_SELECTOR, "nav a[aria-current=page]").text.startswith("Conflicts")


def test_empty_pages_say_so(daemon, browser, axe_results):
    assert "No conflicts — everything is mapped" in browser.find_element(By.ID, "no-conflicts").text
    browser.get(daemon.base + "/activity")
    assert browser.find_element(By.ID, "no-activity").is_displayed()
    browser.get(daemon.base + "/")
    assert "No webhooks in the last 14 days" in browser.page_source
    assert capture(browser, "dashboard-empty", axe_results) == []


def test_a_token_plex_refuses_is_not_saved(daemon, browser):
    browser.get(daemon.base + "/settings/plex")
    browser.find_element(By.ID, "plex-token").send_keys("wrong-token")
    browser.find_element(By.ID, "save-settings").click()
    wait_toast(browser, "Plex does not accept this token")
    assert browser.find_element(By.CSS_SELECTOR, ".toast.error")
    assert "Not connected" in browser.find_element(By.ID, "connection-status").text


def test_save_a_token(daemon, browser, axe_results):
    browser.find_element(By.ID, "plex-token").send_keys(GOOD_TOKEN)
    assert browser.find_element(By.ID, "plex-token").get_attribute("type") == "password"
    browser.find_element(By.ID, "save-settings").click()
    wait_toast(browser, "Plex accepted the token (owner)")
    assert "Connected to Plex as owner" in browser.find_element(By.ID, "connection-status").text
    assert GOOD_TOKEN not in browser.page_source
    assert browser.find_element(By.ID, "auto-mark").is_selected()
    assert capture(browser, "settings", axe_results) == []


def test_copy_the_webhook_url(daemon, browser):
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": daemon.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    url = browser.find_element(By.ID, "webhook-url").get_attribute("value")
    assert url.startswith("http") and "secret=" in url
    browser.find_element(By.ID, "copy-webhook").click()
    wait_toast(browser, "copied")
    copied = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, e => done('error: ' + e));")
    assert copied == url
    state["webhook_url"] = copied


def test_a_real_payload_raises_a_conflict(daemon, browser, axe_results):
    # Plex posts to the copied URL; the daemon listens on this test's port.
    url = re.sub(r"^https?://[^/]+", daemon.base, state["webhook_url"])
    status, answer = daemon.post_to(url, scrobble("The Magicians", 1, 2, "plex://show/magicians", "m-1-2"))
    assert status == 200 and answer["status"] == "accepted"
    wait_for_status(daemon, answer["id"], "conflict")
    state["conflict_log"] = answer["id"]
    browser.get(daemon.base + "/conflicts")
    card = browser.find_element(By.CSS_SELECTOR, ".conflict")
    assert "The Magicians" in card.text
    candidates = card.find_elements(By.CSS_SELECTOR, ".candidate")
    assert len(candidates) == 2
    assert "% confident" in candidates[0].text
    candidates[0].find_element(By.TAG_NAME, "summary").click()
    assert "fuzzy-title-year" in candidates[0].find_element(By.CSS_SELECTOR, ".evidence-table").text
    assert browser.find_element(By.CSS_SELECTOR, "nav .badge").text.startswith("1")
    assert capture(browser, "conflicts", axe_results) == []


def test_resolve_the_conflict_in_two_clicks(daemon, browser, axe_results):
    choice = browser.find_element(By.CSS_SELECTOR, "button[value='select:magicians-2015']")
    choice.click()
    wait_toast(browser, "now mapped to The Magicians")
    assert "No conflicts" in browser.find_element(By.ID, "no-conflicts").text
    wait_for_status(daemon, state["conflict_log"], "success")
    browser.get(daemon.base + f"/shows/{show_id(daemon, 'magicians-2015')}")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr[id^=episode-]")
    second = next(row for row in rows if "S01E02" in row.text)
    assert second.get_attribute("data-watched") == "yes"
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", second.text)
    assert browser.find_element(By.ID, "watched-count").text.startswith("1 /")
    assert capture(browser, "show", axe_results) == []


def test_mark_an_episode_by_hand(daemon, browser):
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "tr[id^=episode-]") if "S01E03" in r.text)
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_toast(browser, "S01E03 marked watched")
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "tr[id^=episode-]") if "S01E03" in r.text)
    assert row.get_attribute("data-watched") == "yes" and "by hand" in row.text


def test_a_failed_webhook_shows_its_error(daemon, browser, axe_results):
    status, answer = daemon.post_webhook(
        scrobble("Slow Horses", 1, 1, "plex://show/slow", "h-1-1", drop=("parentIndex",)))
    assert status == 400
    browser.get(daemon.base + "/activity")
    select = browser.find_element(By.ID, "status-filter")
    select.send_keys("Failed")
    browser.find_element(By.CSS_SELECTOR, ".filter-bar button[type=submit]").click()
    wait(browser).until(EC.url_contains("status=failed"))
    rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 1 and rows[0].get_attribute("data-status") == "failed"
    assert "Metadata.parentIndex" in rows[0].text
    assert capture(browser, "activity", axe_results) == []
    rows[0].find_element(By.PARTIAL_LINK_TEXT, "Details").click()
    assert "Metadata.parentIndex: missing" in browser.find_element(By.ID, "failure-message").text
    assert "Slow Horses" in browser.find_element(By.CSS_SELECTOR, ".payload").text
    browser.execute_script("document.querySelector('.payload').scrollTop = 0; window.scrollTo(0, 0);")
    assert capture(browser, "activity-detail", axe_results) == []


def test_turning_a_shows_sync_off_stops_its_updates(daemon, browser, axe_results):
    status, answer = daemon.post_webhook(scrobble("Severance", 1, 1, "plex://show/severance", "s-1-1"))
    assert status == 200
    wait_for_status(daemon, answer["id"], "success")
    browser.get(daemon.base + "/mappings")
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr") if "Severance" in r.text)
    toggle = row.find_element(By.CSS_SELECTOR, "button.toggle")
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    wait_toast(browser, "Sync is off for Severance")
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr") if "Severance" in r.text)
    assert row.find_element(By.CSS_SELECTOR, "button.toggle").get_attribute("aria-pressed") == "false"
    assert capture(browser, "mappings", axe_results) == []

    status, answer = daemon.post_webhook(scrobble("Severance", 1, 2, "plex://show/severance", "s-1-2"))
    assert status == 200
    log = wait_for_status(daemon, answer["id"], "ignored")
    assert "sync is turned off" in log["error_message"]
    browser.get(daemon.base + f"/shows/{show_id(daemon, 'severance')}")
    rows = {r.find_element(By.TAG_NAME, "code").text: r for r in browser.find_elements(By.CSS_SELECTOR, "tr[id^=episode-]")}
    assert rows["S01E01"].get_attribute("data-watched") == "yes"
    assert rows["S01E02"].get_attribute("data-watched") == "no"


def test_change_a_mapping_by_searching_the_tracker(daemon, browser, axe_results):
    browser.get(daemon.base + "/mappings")
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr") if "Severance" in r.text)
    row.find_element(By.PARTIAL_LINK_TEXT, "Change").click()
    browser.find_element(By.ID, "show-search").send_keys("slow", Keys.ENTER)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".result-list li")))
    assert capture(browser, "mapping-edit", axe_results) == []
    browser.find_element(By.CSS_SELECTOR, ".result-list button[type=submit]").click()
    wait_toast(browser, "Severance now maps to Slow Horses")


def test_bulk_ignore(daemon, browser):
    for guid, key in (("plex://show/magicians-b", "mb-1-1"), ("plex://show/magicians-c", "mc-1-1")):
        status, answer = daemon.post_webhook(scrobble("The Magicians", 1, 1, guid, key))
        assert status == 200
        wait_for_status(daemon, answer["id"], "conflict")
    browser.get(daemon.base + "/conflicts")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".conflict")) == 2
    browser.find_element(By.ID, "select-all").click()
    assert all(box.is_selected() for box in browser.find_elements(By.CSS_SELECTOR, "input[name=ids]"))
    browser.find_element(By.ID, "bulk-action").send_keys("Ignore")
    browser.find_element(By.CSS_SELECTOR, "#bulk button[type=submit]").click()
    wait_toast(browser, "2 conflicts resolved")


def test_dashboard_draws_its_charts(daemon, browser, axe_results):
    browser.get(daemon.base + "/")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 3
    assert charts[0].find_elements(By.CSS_SELECTOR, "rect.s-success")
    assert "Most-watched shows" in browser.page_source and "The Magicians" in charts[2].get_attribute("aria-label")
    assert capture(browser, "dashboard", axe_results) == []


def test_shows_list(daemon, browser, axe_results):
    browser.get(daemon.base + "/shows")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".result-list li")) == 4
    assert capture(browser, "shows", axe_results) == []


def test_sign_in_with_plex_pick_the_server_and_import(daemon, browser, axe_results):
    browser.get(daemon.base + "/settings/plex")
    browser.find_element(By.ID, "plex-signin").click()
    wait(browser).until(EC.url_contains("/settings/plex/signin/"))
    assert browser.find_element(By.ID, "pin-code").text.startswith("uicode")
    assert capture(browser, "plex-signin", axe_results) == []
    # Sign in on (fake) plex.tv in the tab the link opens, as a person would.
    showmatch = browser.current_window_handle
    browser.find_element(By.ID, "open-plex").click()
    wait(browser).until(lambda d: len(d.window_handles) == 2)
    browser.switch_to.window(next(h for h in browser.window_handles if h != showmatch))
    wait(browser).until(EC.element_to_be_clickable((By.ID, "allow"))).click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "approved")))
    browser.close()
    browser.switch_to.window(showmatch)
    # The waiting page notices by itself and moves on to the server list.
    wait(browser, 20).until(EC.url_to_be(daemon.base + "/settings/plex/servers"))
    wait_toast(browser, "Signed in to Plex as owner")
    servers = browser.find_elements(By.CSS_SELECTOR, "fieldset.server")
    assert [s.get_attribute("data-server") for s in servers] == ["ui-fake-server-uuid", "ui-cabin-uuid"]
    radios = servers[0].find_elements(By.CSS_SELECTOR, "input[type=radio]")
    assert radios[0].is_selected() and radios[0].is_enabled() and "127.0.0.1:9 " not in radios[0].get_attribute("value")
    assert not radios[-1].is_enabled() and radios[-1].get_attribute("value").endswith("127.0.0.1:9")
    assert capture(browser, "plex-servers", axe_results) == []
    browser.find_element(By.ID, "save-server").click()
    wait(browser).until(EC.url_to_be(daemon.base + "/settings/plex/import"))
    wait_toast(browser, "Home Server chosen")
    add_shows = browser.find_element(By.ID, "import-auto-add")
    if not add_shows.is_selected():
        add_shows.click()
    assert capture(browser, "plex-import", axe_results) == []
    browser.find_element(By.ID, "start-import").click()
    wait(browser).until(EC.url_contains("/settings/plex/import/"))
    wait(browser, 60).until(lambda d: d.find_element(By.ID, "import-percent").text == "100%"
                            and d.find_elements(By.ID, "import-summary"))
    assert "Done:" in browser.find_element(By.ID, "import-summary").text
    assert browser.find_element(By.ID, "count-shows-added").text == "5"
    assert browser.find_element(By.ID, "count-shows-mapped").text == "1"
    assert capture(browser, "plex-import-job", axe_results) == []
    browser.find_element(By.ID, "see-shows").click()
    wait(browser).until(EC.url_to_be(daemon.base + "/shows"))
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".result-list li strong")]
    assert len(titles) == 9 and {"Velvet Lighthouse", "Glass Harbour", "Severance"} <= set(titles)
    browser.find_element(By.LINK_TEXT, "Glass Harbour").click()
    assert browser.find_element(By.ID, "watched-count").text.startswith("12 /")


def test_make_and_revoke_an_api_token(daemon, browser, axe_results):
    browser.get(daemon.base + "/settings/plex")
    browser.find_element(By.ID, "manage-tokens").click()
    wait(browser).until(EC.url_to_be(daemon.base + "/settings/tokens"))
    browser.find_element(By.ID, "token-name").send_keys("backup script")
    browser.find_element(By.ID, "token-expiry").send_keys("30")
    browser.find_element(By.ID, "create-token").click()
    value = wait(browser).until(EC.visibility_of_element_located((By.ID, "new-token-value"))).get_attribute("value")
    assert re.fullmatch(r"sm_[A-Za-z0-9_-]{43}", value)
    row = browser.find_element(By.XPATH, "//tr[td/strong[text()='backup script']]")
    assert capture(browser, "tokens", axe_results) == []
    browser.get(daemon.base + "/settings/tokens")
    assert value not in browser.page_source, "a token is shown only once"
    row = browser.find_element(By.XPATH, "//tr[td/strong[text()='backup script']]")
    row.find_element(By.CSS_SELECTOR, "button.danger").click()
    wait(browser).until(EC.alert_is_present()).accept()
    wait_toast(browser, "Token revoked")
    assert "backup script" not in browser.find_element(By.TAG_NAME, "main").text


def test_unknown_show_is_a_friendly_404(daemon, browser, axe_results):
    browser.get(daemon.base + "/shows/9999")
    assert "Not found" in browser.find_element(By.TAG_NAME, "h1").text
    assert capture(browser, "not-found", axe_results) == []


def test_keyboard_reaches_every_control(daemon, browser):
    browser.get(daemon.base + "/mappings")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = browser.switch_to.active_element
    assert first.get_attribute("class") == "skip" and first.is_displayed()
    first.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    reached = []
    for _ in range(40):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        element = browser.switch_to.active_element
        if element.tag_name == "body":
            break  # past the last control
        reached.append((element.tag_name, element.get_attribute("id") or element.text))
        outline = element.value_of_css_property("outline-style")
        assert outline != "none", f"no focus ring on {reached[-1]}"
    assert len(reached) >= 12
    names = " ".join(str(item) for item in reached)
    assert "mapping-filter" in names and "sync-" in names and "Change" in names


def test_rotate_the_webhook_secret(daemon, browser):
    browser.get(daemon.base + "/settings/plex")
    before = browser.find_element(By.ID, "webhook-url").get_attribute("value")
    browser.find_element(By.CSS_SELECTOR, "form[action='/settings/plex/rotate-secret'] button").click()
    wait(browser).until(EC.alert_is_present()).accept()
    wait_toast(browser, "New webhook URL made")
    after = browser.find_element(By.ID, "webhook-url").get_attribute("value")
    assert after != before and "secret=" in after
    assert "previous webhook URL keeps working" in browser.page_source


def kid_scrobble(episode):
    payload = scrobble("The Magicians", 1, episode, "plex://show/magicians", f"kid-1-{episode}")
    payload["user"] = False
    payload["Account"] = {"id": 7, "title": "kid"}
    return payload


def log_in(browser, base, name, password):
    browser.get(base + "/login")
    browser.find_element(By.ID, "username").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(password, Keys.ENTER)
    wait_toast(browser, f"Welcome, {name}")


def test_a_household_member_sees_only_their_own_tracker(daemon, browser, axe_results):
    kid_password = "the kid's own password"
    browser.get(daemon.base + "/users")
    browser.find_element(By.ID, "new-name").send_keys("kid")
    browser.find_element(By.ID, "new-password").send_keys(kid_password)
    browser.find_element(By.ID, "create-user").click()
    wait_toast(browser, "kid can now log in")
    assert "kid" in browser.find_element(By.CSS_SELECTOR, "table[aria-label=Users]").text
    assert capture(browser, "users", axe_results) == []

    # The kid's Plex account is seen first (not synced yet), then sent to the kid's tracker.
    status, answer = daemon.post_webhook(kid_scrobble(4))
    assert status == 200
    wait_for_status(daemon, answer["id"], "ignored")
    browser.get(daemon.base + "/settings/accounts")
    row = browser.find_element(By.ID, "account-7")
    assert "kid" in row.text and "Not synced" in row.text
    Select(row.find_element(By.TAG_NAME, "select")).select_by_visible_text("kid's tracker")
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_toast(browser, "now go to the chosen tracker")
    assert capture(browser, "accounts", axe_results) == []
    status, answer = daemon.post_webhook(kid_scrobble(5))
    wait_for_status(daemon, answer["id"], "success")

    # The admin switches to the kid's view of the show.
    magicians = show_id(daemon, "magicians-2015")
    browser.get(daemon.base + f"/shows/{magicians}")
    Select(browser.find_element(By.ID, "user-switcher")).select_by_visible_text("kid")
    browser.find_element(By.CSS_SELECTOR, "form[aria-label='Whose tracker'] button").click()
    wait(browser).until(EC.url_contains("user="))
    watched = {r.find_element(By.TAG_NAME, "code").text for r in browser.find_elements(By.CSS_SELECTOR, "tr[data-watched=yes]")}
    assert watched == {"S01E05"}

    # The kid logs in and sees only their own watched episode, and no admin page.
    browser.find_element(By.CSS_SELECTOR, "form.logout button").click()
    wait(browser).until(EC.url_contains("/login"))
    log_in(browser, daemon.base, "kid", kid_password)
    assert "Settings" not in browser.find_element(By.CSS_SELECTOR, "nav[aria-label=Main]").text
    browser.get(daemon.base + f"/shows/{magicians}")
    watched = {r.find_element(By.TAG_NAME, "code").text for r in browser.find_elements(By.CSS_SELECTOR, "tr[data-watched=yes]")}
    assert watched == {"S01E05"}
    browser.get(daemon.base + "/settings/plex")
    assert "Only an admin" in browser.page_source or "only an admin" in browser.page_source


def test_log_out(daemon, browser):
    browser.get(daemon.base + "/")
    browser.find_element(By.CSS_SELECTOR, "form.logout button").click()
    wait(browser).until(EC.url_contains("/login"))
    browser.get(daemon.base + "/settings/plex")
    assert "/login" in browser.current_url


def test_no_serious_or_critical_axe_violation_anywhere(axe_results):
    assert len(axe_results) >= 12
    problems = {page: found for page, found in axe_results.items() if found}
    assert problems == {}

"""Browser tests: the real daemon (temporary SQLite, fake plex.tv) driven by headless Chromium."""
import base64
import importlib.util
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

sys.path.insert(0, str(Path(__file__).parent))
from daemon import ROOT, Daemon  # noqa: E402
from fake_plex import FakePlex  # noqa: E402

SCREENSHOTS = ROOT / "docs" / "screenshots"
CATALOG = Path(__file__).parent / "catalog.jsonl"
WIDTHS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}


@pytest.fixture(scope="session")
def daemon():
    workdir = Path(tempfile.mkdtemp(prefix="showmatch-ui-"))
    plex = FakePlex().start()
    running = Daemon(workdir, plex.base, CATALOG).start()
    yield running
    running.stop()
    plex.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--force-device-scale-factor=1", "--lang=en-US",
                     "--disable-extensions", "--no-first-run"):
        options.add_argument(argument)
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    driver_path = shutil.which("chromedriver")
    if not driver_path:
        pytest.fail("chromedriver is missing: run `make ui-deps` (Debian's chromium-driver)")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


ALL_VIOLATIONS = {}


@pytest.fixture(scope="session")
def axe_results():
    """Serious and critical axe violations by page, filled by `capture` and checked at the end.

    Every violation of any impact is also written to `.build/ui-axe-report.json` for reading."""
    found = {}
    yield found
    report = ROOT / ".build" / "ui-axe-report.json"
    if report.parent.is_dir():
        report.write_text(json.dumps(ALL_VIOLATIONS, indent=2, sort_keys=True))


def axe_source() -> str:
    """axe-core 4.12, as the `axe-playwright-python` wheel ships it (installed without Playwright:
    only its `axe.min.js` is read, and injected here through Selenium)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("axe-playwright-python is missing: run `make ui-deps`")
    return (Path(list(spec.submodule_search_locations)[0]) / "axe.min.js").read_text()


def capture(driver, name: str, axe_results: dict):
    """Runs axe-core on the page, then saves it at 1280 px and 390 px wide into docs/screenshots/."""
    driver.execute_script(axe_source())
    results = json.loads(driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(JSON.stringify(r)), e => done(JSON.stringify({error: String(e)})));"))
    if "error" in results:
        pytest.fail(f"axe-core failed on {name}: {results['error']}")
    ALL_VIOLATIONS[name] = [f"{v['id']} ({v.get('impact')}): {len(v['nodes'])} node(s)" for v in results["violations"]]
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    axe_results[name] = [f"{v['id']} ({v['impact']}): {v['help']} — " + ", ".join(
        str(node.get("target")) for node in v["nodes"][:3]) for v in bad]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height, mobile) in WIDTHS.items():
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        full = driver.execute_script("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
        full = max(height, min(int(full), 3200))
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": full, "deviceScaleFactor": 1, "mobile": mobile})
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
        (SCREENSHOTS / f"{name}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return axe_results[name]

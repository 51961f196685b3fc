"""The report and the analyst's path in a real browser: headless Chromium driven by Playwright.

Skipped, with the reason, where Chromium is not installed (``make test`` installs Debian's
chromium when it runs as root)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from servicelens.config import NOTEBOOKS_DIR, PROCESSED_DIR, RAW_DIR, REPORTS_DIR

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Chromium is not installed: run `make test` as root, or apt-get install chromium"),
]
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=ARGS, viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


def _kernel() -> str:
    from jupyter_client.kernelspec import find_kernel_specs

    return "servicelens" if "servicelens" in find_kernel_specs() else "python3"


def test_html_report_loads_every_image_and_link(browser, tmp_path: Path) -> None:
    from servicelens.notebooks import run_notebooks

    run_notebooks(raw_dir=RAW_DIR, out_dir=PROCESSED_DIR, seed=42, topics="auto", kernel=_kernel(),
                  reports_dir=tmp_path, only=("04_report.ipynb",))
    report = tmp_path / "report.html"
    page = browser.new_page()
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert len(images) >= 4 and all(done and width > 0 for done, width in images), images
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in links:
        if href.startswith("#"):
            assert page.locator(f"[id='{href[1:]}']").count() == 1, href
        else:
            assert not href.startswith(("http:", "https:", "//")), f"external link in an offline report: {href}"
            assert (tmp_path / href).exists(), href
    text = page.inner_text("body")
    assert "customer is always right" in text and "articles in" in text  # the captions state findings
    REPORTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS_DIR / "report_screenshot.png"), full_page=True)
    page.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def jupyterlab(tmp_path: Path):
    """JupyterLab on 127.0.0.1 with a token, its config and state in a temporary folder."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "02_themes.ipynb", root)
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "IPYTHONDIR": str(home / "ipython"), "MPLCONFIGDIR": str(home / "mpl"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    (home / "config" / "labconfig").mkdir(parents=True)
    (home / "config" / "labconfig" / "page_config.json").write_text(
        '{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}')
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--port-retries=0", "--allow-root", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly", "--ServerApp.terminals_enabled=False"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within a minute")
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_analyst_explores_themes_in_jupyterlab(browser, jupyterlab) -> None:
    """Open notebook 02, run all cells, move the topic slider: the figure and the paragraphs
    shown change, and Cyrillic and Japanese text is on the page."""
    url, token = jupyterlab
    page = browser.new_page()
    page.goto(f"{url}/lab/tree/02_themes.ipynb?token={token}")
    # The toolbar says idle before the kernel exists; the status bar knows better.
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator("[data-command='runmenu:run-all']").click()
    page.locator(".jp-InputArea-prompt", has_text="[1]:").first.wait_for(timeout=120_000)
    output = page.locator(".widget-output").first
    output.locator("img").first.wait_for(timeout=180_000)
    before_src = output.locator("img").first.get_attribute("src")
    before_text = output.inner_text()
    REPORTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS_DIR / "jupyterlab_before.png"))
    handle = page.locator(".widget-slider .noUi-handle").nth(1)  # the topic slider
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "src => { const i = document.querySelector('.widget-output img'); return i && i.src !== src; }",
        arg=before_src, timeout=60_000)
    output.locator("img").first.wait_for()
    after_text = output.inner_text()
    assert after_text != before_text
    assert "topic 1" in after_text
    text = page.inner_text("body")
    assert CYRILLIC.search(text) and JAPANESE.search(text)
    page.screenshot(path=str(REPORTS_DIR / "jupyterlab_after.png"))
    page.close()

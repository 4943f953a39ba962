"""Headless Chromium from Debian (chromium + chromium-driver), driven by selenium, for page tests."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)


def find(names: tuple[str, ...]) -> str | None:
    return next((path for name in names if (path := shutil.which(name))), None)


@contextmanager
def chromium(width: int, height: int) -> Iterator[webdriver.Chrome]:
    """A fresh headless Chromium (its own profile folder, removed after) with the window at width x height."""
    browser, driver = find(BROWSERS), find(DRIVERS)
    if browser is None or driver is None:
        raise RuntimeError(
            "Chromium or chromedriver missing: run `make desk-tools` (apt-get install chromium chromium-driver)"
        )
    profile = tempfile.mkdtemp(prefix="callcenter-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    session = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    try:
        yield session
    finally:
        session.quit()
        shutil.rmtree(profile, ignore_errors=True)

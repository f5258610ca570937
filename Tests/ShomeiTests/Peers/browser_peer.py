"""What the browser peer scripts share: Debian's Chromium and chromedriver, selenium (absent
on machines without python3-selenium: `missing_browser()` says so), and the check/run helpers."""

import os
import subprocess

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    SELENIUM_ERROR = None
except ImportError as error:  # pragma: no cover
    webdriver = TimeoutException = Service = By = Select = WebDriverWait = None
    SELENIUM_ERROR = str(error)


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def run(args, ok=True):
    """Runs a command (str arguments are passed as UTF-8 bytes); returns (rc, stdout+stderr)."""
    done = subprocess.run([a.encode() if isinstance(a, str) else a for a in args],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    text = done.stdout.decode("utf-8", "replace")
    if ok and done.returncode != 0:
        raise CheckFailed(f"{' '.join(map(str, args))} exited {done.returncode}:\n{text}")
    return done.returncode, text


def missing_browser():
    """What is missing to drive Chromium here (empty when everything is installed)."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    if SELENIUM_ERROR:
        missing.append(f"selenium ({SELENIUM_ERROR})")
    return missing

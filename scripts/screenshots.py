"""Each demo persona's start page at 1280 px and on a 390 px phone, as PNG files for the README:
``scripts/screenshots`` starts the demo and calls this with its address and the folder."""

from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

PERSONAS = ("medarbejder", "leder", "afdelingschef", "direktoer", "ledelse", "tr", "hr")
SCREENS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
PASSWORD = "samtale-demo"  # noqa: S105 (the demo's printed sign-in, README)


def wait_for(base: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/login/", timeout=2)  # noqa: S310 (our own server)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"no server at {base}")


def main(base: str, folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    wait_for(base)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for persona in PERSONAS:
            for name, screen in SCREENS.items():
                page = browser.new_page(viewport=screen, device_scale_factor=1)
                page.goto(base + "/login/")
                page.get_by_label("E-mailadresse").fill(f"{persona}@vesterby.example")
                page.get_by_label("Adgangskode").fill(PASSWORD)
                page.get_by_role("button", name="Log ind").click()
                page.wait_for_load_state("networkidle")
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if overflow > 0:
                    raise SystemExit(f"{persona} at {name} px scrolls sideways by {overflow} px")
                page.screenshot(path=out / f"{persona}-{name}.png")
                page.close()
                print(f"{out / f'{persona}-{name}.png'}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

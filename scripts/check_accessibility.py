"""Runs axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on HTML pages in headless Chromium.

Usage: check_accessibility.py AXE_JS PAGE.html [PAGE.html ...]
Prints each violation (rule, impact, the elements) and exits 1 when there is any.
"""

import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def main() -> int:
    axe = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")
    options = Options()
    for argument in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    failures = 0
    try:
        for page in sys.argv[2:]:
            driver.get(pathlib.Path(page).resolve().as_uri())
            driver.execute_script(axe)
            result = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})"
                ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical', "
                "help: String(e), nodes: []}]));" % json.dumps(TAGS)
            )
            for violation in result:
                failures += 1
                targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
                print(f"{page}: {violation['id']} ({violation['impact']}): {violation['help']}; "
                      f"{len(violation['nodes'])} element(s): {'; '.join(targets)}")
            print(f"{page}: {len(result)} rule(s) violated")
    finally:
        driver.quit()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Take the widget screenshots in docs/ with the real browser against a real server (demo workspace loaded):

    .venv/bin/python -m tests.browser.screenshots [--out docs]

docs/widget-desktop.png: the demo page at 1280×800 with a Chinese task preview in the panel.
docs/widget-phone.png: a 375 px wide phone (2× pixels) with an English progress report.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from settings import Settings
from tests.browser.harness import CHROMIUM, MISSING, chromium_args, missing_tools, serve

DOCS = Path(__file__).resolve().parents[2] / "docs"


def take(out: Path) -> list[Path]:
    """Write the two screenshots into `out`; returns their paths."""
    from playwright.sync_api import Page, expect, sync_playwright

    def ask(page: Page, text: str) -> None:
        box = page.get_by_test_id("qiao-input")
        box.fill(text)
        box.press("Enter")

    out.mkdir(parents=True, exist_ok=True)
    desktop, phone = out / "widget-desktop.png", out / "widget-phone.png"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", warm_start=False, _env_file=None)
        with serve(settings) as qiao, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=chromium_args(), headless=True)
            try:
                context = browser.new_context(
                    base_url=qiao.url, viewport={"width": 1280, "height": 800}, locale="zh-CN"
                )
                page = context.new_page()
                page.goto("/?lang=zh")
                page.get_by_test_id("qiao-launcher").click()
                ask(page, "帮我建个任务：周五前把登录页改版做完，交给张三")
                page.get_by_test_id("qiao-suggestion").get_by_text("凤凰", exact=True).click()
                expect(page.get_by_test_id("qiao-action-confirm")).to_be_visible()
                page.get_by_test_id("qiao-input").blur()
                page.screenshot(path=desktop)
                context.close()

                context = browser.new_context(
                    base_url=qiao.url,
                    viewport={"width": 375, "height": 740},
                    device_scale_factor=2,
                    is_mobile=True,
                    has_touch=True,
                    locale="en-US",
                )
                page = context.new_page()
                page.goto("/?lang=en")
                page.get_by_test_id("qiao-launcher").click()
                ask(page, "How is the Apollo project going?")
                expect(page.get_by_test_id("qiao-card-progress")).to_be_visible()
                page.get_by_test_id("qiao-input").blur()
                page.screenshot(path=phone)
                context.close()
            finally:
                browser.close()
    return [desktop, phone]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for the PNG files (default: docs/)")
    args = parser.parse_args()
    lacking = [tool for tool in missing_tools() if "espeak" not in tool]
    if lacking:
        sys.exit(MISSING.format(what=", ".join(lacking)))
    fc_list = shutil.which("fc-list")
    cjk = fc_list and subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True, check=False).stdout.strip()
    if not cjk:
        sys.exit("no Chinese font: the screenshots would show boxes; apt-get install fonts-noto-cjk / 请先安装中文字体")
    for path in take(args.out):
        print(path)


if __name__ == "__main__":
    main()

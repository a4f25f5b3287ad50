// Debian's headless Chromium for the end-to-end checks and the browser benchmark, with the flags
// this offline machine needs (without the background-networking ones, Chromium keeps trying to
// reach Google's hosts). CHROMIUM overrides the executable.
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
}

// Debian's Chromium through playwright-core (never a downloaded browser).
import { chromium } from "playwright-core";

export const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

export function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
}

// The Chromium half of `make bench`, bundled by esbuild (hookmatch's browser
// entry, sift, the shared cases).
import * as hookmatch from "hookmatch";
import sift from "sift";
import { base64Cases, browserImpls, engineCases } from "./cases.mjs";

try {
  window.results = { ok: true, base64: base64Cases(browserImpls(hookmatch)), engine: engineCases(hookmatch, sift, 100) };
} catch (e) {
  window.results = { ok: false, error: String((e && e.stack) || e) };
}

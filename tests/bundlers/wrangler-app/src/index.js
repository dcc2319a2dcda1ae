// A Cloudflare Worker that routes events with hookmatch (the worker of the
// raw-workerd test, here bundled by wrangler): GET /smoke runs the shared
// smoke test; POST /match with {spec, events} answers {results: [{matched, reason}]}.
import * as hm from "hookmatch";
import { smoke } from "../../../runtimes/smoke.js";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/smoke") return Response.json({ failures: smoke(hm) });
    if (request.method !== "POST" || url.pathname !== "/match") return new Response("not found", { status: 404 });
    const { spec, events } = await request.json();
    try {
      using sub = hm.Subscription.compile(spec);
      const results = events.map((e) => {
        const x = sub.explain(e);
        const failing = [...x.gate, ...x.filters].find((c) => !c.passed);
        return { matched: x.matched, reason: failing ? failing.reason : "" };
      });
      return Response.json({ results });
    } catch (e) {
      if (!(e instanceof hm.HookmatchError)) throw e;
      return Response.json({ error: { code: e.code, path: e.path, message: e.message } }, { status: 400 });
    }
  },
};

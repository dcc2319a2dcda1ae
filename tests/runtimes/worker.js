// A Cloudflare Worker that routes events with hookmatch: POST /match with
// {spec, events} answers {results: [{matched, reason}], smoke: [...]}.
import * as hm from "hookmatch";
import { smoke } from "./smoke.js";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/smoke") return Response.json({ failures: smoke(hm) });
    if (request.method !== "POST" || url.pathname !== "/match") return new Response("not found", { status: 404 });
    const { spec, events } = await request.json();
    try {
      const sub = hm.Subscription.compile(spec);
      const results = events.map((e) => {
        const x = sub.explain(e);
        const failing = [...x.gate, ...x.filters].find((c) => !c.passed);
        return { matched: x.matched, reason: failing ? failing.reason : "" };
      });
      sub.free();
      return Response.json({ results });
    } catch (e) {
      return Response.json({ error: { name: e.name, code: e.code, path: e.path, message: e.message } }, { status: 400 });
    }
  },
};

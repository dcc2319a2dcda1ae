/** @jsxImportSource preact */
// Preact's JSX with the elements, as the npm README says to declare them:
// the tags' attributes exported by hookmatch/elements, merged into Preact's
// IntrinsicElements (compiled by tests/js/typescript.test.mjs).
import { Subscription, lint, type WorkfrontSpec } from "hookmatch";
import "hookmatch/elements";
import type { HookmatchIntrinsicElements } from "hookmatch/elements";

declare module "preact" {
  namespace JSX {
    interface IntrinsicElements extends HookmatchIntrinsicElements {}
  }
}

const spec: WorkfrontSpec = { objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/wf", authToken: "t" };
const sub = Subscription.compile(spec);
export const view = (
  <div>
    <hookmatch-diagnostics diagnostics={lint(spec)} onhookmatch-select={(e) => e.detail.path} />
    <hookmatch-explanation explanation={sub.explain({})} />
    <hookmatch-delivery delivery={sub.deliver({})} onhookmatch-copy={(e) => e.detail.text} />
  </div>
);
// @ts-expect-error diagnostics is a Diagnostic[]
export const wrong = <hookmatch-diagnostics diagnostics={1} />;

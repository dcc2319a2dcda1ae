// React 19 TSX with the three elements, compiled under strict against the
// installed package and @types/react (tests/js/typescript.test.mjs): the
// tags, their properties (React 19 sets a custom element's props as
// properties), refs, and the hookmatch-select / hookmatch-copy events.
import { useEffect, useRef, useState } from "react";
import { Subscription, lint, type Diagnostic, type WorkfrontSpec } from "hookmatch";
import "hookmatch/elements";
import type { HookmatchDelivery } from "hookmatch/elements";

const spec: WorkfrontSpec = {
  objCode: "TASK",
  eventType: "UPDATE",
  url: "https://hooks.example.com/workfront",
  authToken: "my-bearer-token",
  filters: [{ fieldName: "status", fieldValue: "CUR" }],
};
const event = { eventType: "UPDATE", newState: { objCode: "TASK", status: "CUR" }, oldState: { objCode: "TASK", status: "NEW" } };

export function Panel() {
  const [picked, setPicked] = useState<Diagnostic | null>(null);
  const sub = Subscription.compile(spec);
  const deliveryRef = useRef<HookmatchDelivery>(null);
  useEffect(() => {
    const el = deliveryRef.current;
    if (!el) return;
    el.delivery = sub.deliver(event);
    const copied = (e: CustomEvent<{ text: string }>) => console.log(e.detail.text.length);
    el.addEventListener("hookmatch-copy", copied);
    return () => el.removeEventListener("hookmatch-copy", copied);
  }, []);
  return (
    <section className="hooks">
      <hookmatch-diagnostics
        diagnostics={lint(spec)}
        locate={(d) => (d.path === "" ? null : { line: 1, column: 1 })}
        onhookmatch-select={(e) => setPicked(e.detail)}
      />
      <p>{picked?.message}</p>
      <hookmatch-explanation explanation={sub.explain(event)} event={event} id="why" />
      <hookmatch-delivery ref={deliveryRef} onhookmatch-copy={(e) => e.detail.text.trim()} style={{ maxWidth: 600 }} />
      <hookmatch-delivery delivery={sub.deliver(event)} />
    </section>
  );
}

// @ts-expect-error diagnostics is a Diagnostic[]
export const wrongDiagnostics = <hookmatch-diagnostics diagnostics="none" />;
// @ts-expect-error the select event carries a Diagnostic, not a string
export const wrongEvent = <hookmatch-diagnostics onhookmatch-select={(e: CustomEvent<string>) => e.detail} />;
// @ts-expect-error a delivery view takes a Delivery
export const wrongDelivery = <hookmatch-delivery delivery={42} />;
// @ts-expect-error no such element
export const unknownTag = <hookmatch-nothing />;

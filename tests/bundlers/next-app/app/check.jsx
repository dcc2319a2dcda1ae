"use client";
// A client component with the API and an element, and no Next.js config.
// answer() also runs while Next renders it on the server (at build time, and
// in next dev), where Next bundles the package's Node entry.
import { useEffect, useState } from "react";
import { Subscription } from "hookmatch";
import "hookmatch/elements";
import { answer, spec } from "./answer.js";

export default function Check() {
  const dialect = Subscription.compile(spec).dialect;
  const [result, setResult] = useState(null);
  useEffect(() => setResult(answer()), []);
  return (
    <>
      <p id="dialect">{dialect}</p>
      {/* React 19 sets a custom element's property when the element has one. */}
      <hookmatch-diagnostics id="diagnostics" diagnostics={result?.diagnostics ?? []} />
      <pre id="result">{result ? JSON.stringify({ dialect: result.dialect, matches: result.matches, lint: result.lint }) : ""}</pre>
    </>
  );
}

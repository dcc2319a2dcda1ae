// Types of hookmatch/elements: custom elements that render what the package
// returns. Importing the module registers them.
import type { Diagnostic, Explanation, Delivery } from "./hookmatch.js";

/** `<hookmatch-diagnostics>`: a list of diagnostics; fires `hookmatch-select`. */
export declare class HookmatchDiagnostics extends HTMLElement {
  diagnostics: Diagnostic[];
}
/** `<hookmatch-explanation>`: every check of an explanation, pass or fail in words. */
export declare class HookmatchExplanation extends HTMLElement {
  explanation: Explanation | null;
}
/** `<hookmatch-delivery>`: a delivery with its secrets masked until revealed. */
export declare class HookmatchDelivery extends HTMLElement {
  delivery: Delivery | null;
}
/** A delivery's URL and headers with credentials masked (unless `reveal`). */
export declare function maskDelivery(delivery: Delivery, reveal?: boolean): { url: string; headers: [string, string][] };
/** Register the three elements (done on import; safe to call again). */
export declare function defineElements(): void;

declare global {
  interface HTMLElementTagNameMap {
    "hookmatch-diagnostics": HookmatchDiagnostics;
    "hookmatch-explanation": HookmatchExplanation;
    "hookmatch-delivery": HookmatchDelivery;
  }
  interface HTMLElementEventMap {
    "hookmatch-select": CustomEvent<Diagnostic>;
  }
}

// Types of hookmatch/elements: custom elements that render what the package
// returns. Importing the module registers them.
import type { Diagnostic, Explanation, Delivery, SecretPlace } from "./hookmatch.js";

/** A delivery to show: one `deliver` returned, or one without its `secrets` (then masked wholesale). */
export type ShownDelivery = Omit<Delivery, "secrets"> & { secrets?: SecretPlace[] };

/** Where a diagnostic points in the text an editor shows (1-based). */
export interface TextLocation {
  line: number;
  column: number;
}

/** `<hookmatch-diagnostics>`: a list of diagnostics; fires `hookmatch-select`. */
export declare class HookmatchDiagnostics extends HTMLElement {
  diagnostics: Diagnostic[];
  /** The editor's mapping of a diagnostic's `path` to its text; each item then shows `line:column`. */
  locate: ((diagnostic: Diagnostic) => TextLocation | null | undefined) | null;
}
/** `<hookmatch-explanation>`: the spec's checks as a tree, pass or fail in words, beside the event. */
export declare class HookmatchExplanation extends HTMLElement {
  explanation: Explanation | null;
  /** The event explained (an object or JSON text), shown beside the checks. */
  event: unknown;
}
/**
 * `<hookmatch-delivery>`: a delivery with its secrets masked until revealed; fires `hookmatch-copy`.
 * Setting `delivery` (or `data`) always starts masked.
 */
export declare class HookmatchDelivery extends HTMLElement {
  delivery: ShownDelivery | null;
  data: ShownDelivery | null;
}
/**
 * A delivery's URL and headers with every place of `delivery.secrets` masked (unless `reveal`).
 * A delivery without a `secrets` array has every header value and its whole query masked.
 */
export declare function maskDelivery(delivery: ShownDelivery, reveal?: boolean): { url: string; headers: [string, string][] };
/** The delivery as a `curl` command, secrets masked as on screen unless `reveal`. */
export declare function curlCommand(delivery: ShownDelivery, reveal?: boolean): string;
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
    "hookmatch-copy": CustomEvent<{ text: string }>;
  }
}

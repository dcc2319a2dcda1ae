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

/**
 * `<hookmatch-diagnostics>`'s JSX attributes in any JSX library: its
 * properties, and its event as `onhookmatch-select` (React 19 and Preact pass
 * an `on…` prop of a custom element to `addEventListener` with the name as written).
 */
export interface HookmatchDiagnosticsAttributes {
  diagnostics?: Diagnostic[];
  locate?: HookmatchDiagnostics["locate"];
  "onhookmatch-select"?: (event: CustomEvent<Diagnostic>) => void;
}
/** `<hookmatch-explanation>`'s JSX attributes: its properties. */
export interface HookmatchExplanationAttributes {
  explanation?: Explanation | null;
  event?: unknown;
}
/** `<hookmatch-delivery>`'s JSX attributes: its property, and `onhookmatch-copy`. */
export interface HookmatchDeliveryAttributes {
  delivery?: ShownDelivery | null;
  "onhookmatch-copy"?: (event: CustomEvent<{ text: string }>) => void;
}
/**
 * The three tags and their attributes, for a JSX library's
 * `IntrinsicElements` (React's are declared here; the README shows Preact's
 * and Solid's).
 */
export interface HookmatchIntrinsicElements {
  "hookmatch-diagnostics": HookmatchDiagnosticsAttributes;
  "hookmatch-explanation": HookmatchExplanationAttributes;
  "hookmatch-delivery": HookmatchDeliveryAttributes;
}

// React 19's JSX (the automatic runtime and React.createElement alike) reads
// React.JSX.IntrinsicElements. @types/react declares `React` as a global
// namespace too (`export as namespace React`), and this merges into it: TSX
// gets the three tags with React's own attributes and `ref` as soon as this
// module is imported. Without @types/react it declares an inert namespace
// of empty interfaces, so nothing here needs React to compile. The two
// empty interfaces merge with React's of the same name (same type parameter).
declare global {
  namespace React {
    interface HTMLAttributes<T> {}
    interface ClassAttributes<T> {}
    namespace JSX {
      interface IntrinsicElements {
        "hookmatch-diagnostics": HookmatchDiagnosticsAttributes & HTMLAttributes<HookmatchDiagnostics> & ClassAttributes<HookmatchDiagnostics>;
        "hookmatch-explanation": HookmatchExplanationAttributes & HTMLAttributes<HookmatchExplanation> & ClassAttributes<HookmatchExplanation>;
        "hookmatch-delivery": HookmatchDeliveryAttributes & HTMLAttributes<HookmatchDelivery> & ClassAttributes<HookmatchDelivery>;
      }
    }
  }
}

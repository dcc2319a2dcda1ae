// Types of hookmatch/analysis: the analysis as an entry of its own. In the
// browser, importing it loads the full module (the main entry's has no
// analysis, so a page that only matches downloads none of it); from then on
// the main entry's lint, diff, sub.example() and set.lint() answer too
// (before, they throw HookmatchError invalid_input naming this import).
// Elsewhere the main entry has the analysis already and this re-exports it.
import type { Subscription, SubscriptionSet, ExampleOptions, SetLintEntry } from "./hookmatch.js";

export { lint, diff } from "./hookmatch.js";

/** `sub.example(options)`: the smallest event that fires (or, with `fail`, fails that filter; with `base`, the fewest changes to it); `null` when there is none. */
export declare function example(sub: Subscription, options?: ExampleOptions | null): Record<string, unknown> | null;

/** `set.lint()`: per member with findings, in insertion order, its warnings and analysis findings, `duplicate_subscription` and `overlapping_delivery`. */
export declare function setLint(set: SubscriptionSet): SetLintEntry[];

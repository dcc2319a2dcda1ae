// The package's public names, the same from every entry. The glue's loader
// (default, initSync), its error-class hook and the streaming sessions that
// previewStream drives stay private to the package.
export { Subscription, SubscriptionSet, validate, lint, diff, verify, dialects, encodeBase64, decodeBase64, setLimits } from "./hookmatch.js";
export { HookmatchError } from "./runtime.js";

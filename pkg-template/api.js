// The package's public names, the same from every entry. The classes are
// those of the module the entry installed (the browser's core module, or the
// full one elsewhere) and the functions runtime.js's, which call the glue's
// behind the trap guard; the glue's loader (default, initSync), its
// error-class hook, __restart and the streaming sessions that previewStream
// drives stay private to the package.
export { Subscription, SubscriptionSet, validate, lint, diff, verify, dialects, encodeBase64, decodeBase64, setLimits, HookmatchError } from "./runtime.js";

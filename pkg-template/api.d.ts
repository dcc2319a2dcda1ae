// The inputs and options of the API (the outputs' types are generated into
// generated.d.ts from the Rust types). Each options interface lists exactly
// the keys its Rust struct reads (src/options.rs checks this file).

/** A spec: a JSON object or its JSON text. */
export type SpecInput = Record<string, unknown> | string;
/** One event: a JSON object or its JSON text (UTF-8 bytes too). */
export type EventInput = Record<string, unknown> | string | Uint8Array;
/** A batch: an array of events, a JSON array, NDJSON text, documents one after another, or UTF-8 bytes of those. */
export type EventsInput = unknown[] | string | Uint8Array;

export interface CompileOptions {
  /** Skip detection and read the spec as this dialect. */
  dialect?: DialectName;
  /** Accept a target on a private network (Kanboard refuses them unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is set). */
  allowPrivateNetworks?: boolean;
  /** `validate` only: check an update body instead of a full spec (ricloud: only url and state, state only "new" or "deactivated"). */
  update?: boolean;
}
export type ValidateOptions = CompileOptions;

export interface PreviewOptions {
  /** Also return one row per event with the reason of its first failing check. */
  details?: boolean;
  /** How the batch is written; "auto" decides from its start. */
  format?: "auto" | "ndjson" | "json";
}

export interface PreviewProgress { bytes: number; events: number; matched: number; }

export interface PreviewStreamOptions extends PreviewOptions {
  /** Aborting rejects the promise with an AbortError DOMException. */
  signal?: AbortSignal;
  /** Called after each chunk. */
  onProgress?: (progress: PreviewProgress) => void;
}

/** Anything previewStream reads: a stream, an (async) iterable of chunks, a Blob or a Response. */
export type StreamSource =
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>
  | Blob
  | Response
  | string
  | Uint8Array;

export interface EventTime { epochSecond: number; nano: number; }

export interface DeliverOptions {
  /** Workfront: the subscription id in the message. */
  subscriptionId?: string;
  /** Workfront: milliseconds since the epoch, or {epochSecond, nano}. */
  eventTime?: number | EventTime;
  /** Asana's X-Hook-Secret (signs X-Hook-Signature), a Standard Webhooks "whsec_…" key, or the secret of a ricloud config that has none. */
  secret?: string;
  /** Standard Webhooks message id (ricloud: the test event's id); generated when absent. */
  webhookId?: string;
  /** Unix seconds for signatures; now when absent. */
  timestamp?: number;
  /** With a null event: the vendor's test delivery (R-Service, ricloud). */
  test?: boolean;
  /** With a null event: Asana's X-Hook-Secret handshake request. */
  handshake?: boolean;
  /** With a null event: Asana's heartbeat, {"events":[]}. */
  heartbeat?: boolean;
  /** Add Standard Webhooks headers (any dialect). */
  signature?: "standard-webhooks";
}

export interface VerifyOptions {
  /** Largest accepted signature age in seconds (Standard Webhooks 300, ricloud 600 by default). */
  tolerance?: number;
  /** Now, in Unix seconds (defaults to the clock). */
  now?: number;
}

export interface Base64Options {
  /** "standard" (padded, RFC 4648 §4) or "url" (unpadded, §5). */
  alphabet?: "standard" | "base64" | "url" | "base64url";
}

export interface Limits {
  /** Largest input accepted, in bytes (a line, in a stream); 0 restores the default (268435456). */
  maxInputBytes?: number;
}

export interface SetEntry { id: string; spec: SpecInput; dialect?: DialectName; }

/** Every error hookmatch throws (and `instanceof` holds in every entry). */
export declare class HookmatchError extends Error {
  constructor(message: string, code: ErrorCode);
  readonly name: "HookmatchError";
  code: ErrorCode;
  /** A JSON Pointer into the input the error is about. */
  path?: string;
  /** Every diagnostic of a spec that does not compile. */
  diagnostics?: Diagnostic[];
  /** 1-based, for JSON syntax errors. */
  line?: number;
  column?: number;
  /** The byte offset of a base64 error. */
  offset?: number;
}

export interface Subscription {
  /** `preview` of a stream: the same answer however the input is cut. */
  previewStream(source: StreamSource, options?: PreviewStreamOptions): Promise<PreviewResult>;
}

export interface SubscriptionSet {
  /** `preview` of a stream: the same answer however the input is cut. */
  previewStream(source: StreamSource, options?: Omit<PreviewStreamOptions, "details">): Promise<SetPreviewResult>;
}

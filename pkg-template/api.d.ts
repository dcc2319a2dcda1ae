// The inputs and options of the API (the outputs' types are generated into
// generated.d.ts from the Rust types). Each options interface lists exactly
// the keys its Rust struct reads (src/options.rs checks this file).

/** A Workfront filter (Adobe's "Event Subscription API" page). */
export interface WorkfrontFilter {
  /** The field of newState (or oldState), a custom field such as "DE:Budget", or a JSON Pointer ("/data/x"). */
  fieldName: string;
  /** The value to compare with; an array for a multi-select field; ignored by `changed`. */
  fieldValue?: unknown;
  /** "eq" when absent. */
  comparison?: "eq" | "ne" | "gt" | "gte" | "lt" | "lte" | "contains" | "notContains" | "containsOnly" | "changed";
  /** "newState" when absent; "oldState" is not possible on CREATE subscriptions. */
  state?: "newState" | "oldState";
}

/** A group of 2 to 5 filters with its own connector (at most 10 groups). */
export interface WorkfrontFilterGroup {
  type: "group";
  connector: "AND" | "OR";
  filters: readonly WorkfrontFilter[];
}

// Each spec interface lists exactly the keys its dialect reads, and the
// read-only keys of the vendor's responses (accepted so a response pastes
// back): no index signature, so an object literal with a key its dialect
// does not read (see OnlyKeysOf), or a value outside a union
// (`comparison: "equals"`), fails to compile. Arrays are readonly so that
// `as const` specs are accepted.

/** An Adobe Workfront event subscription, as POSTed to Workfront (or a GET response). */
export interface WorkfrontSpec {
  /** The object's code, e.g. "PROJ", "TASK", "OPTASK", "RECORD", "approval". */
  objCode: string;
  eventType: "CREATE" | "DELETE" | "UPDATE";
  /** Only events of this object (its ID; `id` for RECORD, RECORD_TYPE, WORKSPACE). */
  objId?: string | null;
  url: string;
  /** Sent as `Authorization: Bearer <authToken>`; under 255 characters. */
  authToken: string;
  filters?: readonly (WorkfrontFilter | WorkfrontFilterGroup)[];
  /** How the top-level filters and groups combine; "AND" when absent. */
  filterConnector?: "AND" | "OR";
  /** Deliver newState and oldState as base64 of their JSON. */
  base64Encoding?: boolean | "true" | "false" | "" | " ";
  /** Read-only keys of Workfront's GET responses, accepted so a response pastes back. */
  id?: string; customerId?: string; version?: string; dateVersionUpdated?: string;
  date_created?: string; date_modified?: string; subscription_url?: Record<string, unknown>;
}

/** An Asana webhook filter: an event passes when every key given matches. */
export interface AsanaFilter {
  resource_type?: string;
  resource_subtype?: string;
  action?: "changed" | "added" | "removed" | "deleted" | "undeleted";
  /** Only with action "changed": the event's change.field is one of these. */
  fields?: readonly string[];
}

/** An Asana webhook: `{ resource, target, filters? }` (or a GET response). */
export interface AsanaSpec {
  /** The resource's gid, or `{ gid, resource_type?, name? }` as responses show it. */
  resource: string | { gid: string; resource_type?: string; name?: string };
  target: string;
  /** An event is delivered when it passes any filter. */
  filters?: readonly AsanaFilter[];
  /** `false`: the webhook is inactive and Asana sends it nothing (a GET response's WebhookCompact.active). */
  active?: boolean | null;
  /** Read-only keys of Asana's webhook responses (ignored), accepted so a response pastes back. */
  gid?: unknown; resource_type?: unknown; created_at?: unknown;
  last_success_at?: unknown; last_failure_at?: unknown; last_failure_content?: unknown;
  delivery_retry_count?: unknown; failure_deletion_timestamp?: unknown;
  next_attempt_after?: unknown; is_workspace_webhook?: unknown;
}

/** Kanboard's web hook: its URL and token, and the events to keep (a hookmatch narrowing). */
export interface KanboardSpec {
  url: string;
  token: string;
  events?: readonly string[];
  /** Workfront's filter syntax over event_data, run in your receiver (Kanboard sends every event). */
  filters?: readonly (WorkfrontFilter | WorkfrontFilterGroup)[];
  filterConnector?: "AND" | "OR";
}

/** An R-Service webhook. */
export interface RServiceSpec {
  /** One event of R-Service's catalog, e.g. "problem.update". */
  event: string;
  uri: string;
  name?: string;
  description?: string;
  disabled?: boolean | "true" | "false";
  mail_exceptions_to?: string;
  webhook_policy?: unknown;
  source?: string;
  sourceID?: string;
  filters?: readonly (WorkfrontFilter | WorkfrontFilterGroup)[];
  filterConnector?: "AND" | "OR";
  /** Read-only keys of R-Service's responses (ignored), accepted so a response pastes back. */
  id?: unknown; created_at?: unknown; updated_at?: unknown; last_error?: unknown;
  attachments?: unknown; description_attachments?: unknown;
}

/** A ricloud webhook config: `{ url }` to create one (it is then "new"). */
export interface RicloudSpec {
  url: string;
  secret?: string;
  state?: "new" | "valid" | "invalid" | "deactivated";
  organisation?: string | number;
  date_created?: string;
  filters?: readonly (WorkfrontFilter | WorkfrontFilterGroup)[];
  filterConnector?: "AND" | "OR";
  /** Read-only keys of ricloud's responses (ignored), accepted so a response pastes back. */
  id?: unknown; resource?: unknown;
}

/** Every key of every dialect's spec. */
export type SpecKey = keyof WorkfrontSpec | keyof AsanaSpec | keyof KanboardSpec | keyof RServiceSpec | keyof RicloudSpec;

/**
 * A dialect's spec whose other dialects' keys are `never`. TypeScript checks
 * an object literal's keys against the whole union (a key of any member
 * passes), so without this an Asana `target` in a Workfront spec, or a
 * Kanboard `events`, would type-check as a Workfront spec with one more key.
 */
export type OnlyKeysOf<T> = T & { [K in Exclude<SpecKey, keyof T>]?: never };

/** A spec of any dialect: exactly one dialect's keys. */
export type Spec =
  | OnlyKeysOf<WorkfrontSpec>
  | OnlyKeysOf<AsanaSpec>
  | OnlyKeysOf<KanboardSpec>
  | OnlyKeysOf<RServiceSpec>
  | OnlyKeysOf<RicloudSpec>;

/**
 * What `sub.toJSON()` returns: the normalized spec (a spec of its dialect,
 * secrets `"[redacted]"`), so it passes back to `compile`, `validate`,
 * `lint` and `diff` as it is.
 */
export type SpecJSON = Spec & Record<string, unknown>;

/**
 * A spec: an object of one dialect or its JSON text. An object literal is
 * checked against the dialects' types: a key no dialect reads, or a value
 * outside its union (`comparison: "equals"`), does not compile. `JSON.parse`
 * output (`any`) and `sub.toJSON()` compile as they are; a value typed
 * `unknown` (a request body, a database row) takes one step, `as SpecInput`:
 * the engine, not the type, then judges it (`validate` returns diagnostics,
 * `compile` throws `invalid_spec`).
 */
export type SpecInput = Spec | string;
/** One event: a JSON object or its JSON text (UTF-8 bytes too). */
export type EventInput = Record<string, unknown> | string | Uint8Array;
/** A batch: an array of events, a JSON array, NDJSON text, documents one after another, or UTF-8 bytes of those. */
export type EventsInput = unknown[] | string | Uint8Array;

export interface CompileOptions {
  /** Skip detection and read the spec as this dialect. */
  dialect?: DialectName;
  /** Accept a target on a private network: Kanboard refuses them unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is set; Asana never sends there, and the option says a sender other than Asana does (a router forwarding `set.deliver`'s requests), with a warning. */
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
  /** Keep at most this many `errors`, the first ones (default 10,000; up to `Number.MAX_SAFE_INTEGER`); `total` still counts every event, and `truncated` says when some were left out. */
  maxErrors?: number;
  /** Keep at most this many `results` rows, the first ones (default 10,000; up to `Number.MAX_SAFE_INTEGER`); `truncated` says when some were left out. */
  maxResults?: number;
}

/** A set's preview: a set counts matches per id, so it has no rows (`details`, `maxResults`). */
export type SetPreviewOptions = Omit<PreviewOptions, "details" | "maxResults">;

export interface PreviewProgress { bytes: number; events: number; matched: number; }

export interface PreviewStreamOptions extends PreviewOptions {
  /** Aborting rejects the promise with an AbortError DOMException. */
  signal?: AbortSignal;
  /** Called after each chunk. */
  onProgress?: (progress: PreviewProgress) => void;
  /**
   * Receives the rows decided since its last call (as `details: true` gives
   * them), in order, every one, while the input is read: NDJSON rows come
   * chunk by chunk, a JSON document's once it is whole. A promise it returns
   * is awaited before the next chunk is read. The rows are not kept, nor
   * the matched indices (each row says whether it matched), so memory stays
   * bounded on a stream of any length, and the result has neither
   * `results` nor `matches`. With it, `details: false` and `maxResults` are
   * `invalid_input`; a set's preview has no rows and takes none.
   */
  onRows?: (rows: PreviewRow[]) => void | Promise<void>;
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
  /**
   * Largest accepted distance in seconds between a signature's timestamp and
   * `now`, before or after it (Standard Webhooks 300, ricloud 600 by default).
   * A whole number; NaN and Infinity are `invalid_input`.
   */
  tolerance?: number;
  /** Now, in Unix seconds (defaults to the clock). A whole number; NaN and Infinity are `invalid_input`. */
  now?: number;
  /** Check only this scheme; without it, every scheme the delivery carries is checked, each reading only its own headers. */
  scheme?: "standard-webhooks" | "asana" | "ricloud";
}

export interface Base64Options {
  /** "standard" (padded, RFC 4648 §4) or "url" (unpadded, §5). */
  alphabet?: "standard" | "base64" | "url" | "base64url";
}

export interface Limits {
  /**
   * Largest input accepted, in bytes (a line, in a stream); 0 restores the
   * default (268435456). Options objects, this one included, are not inputs:
   * no limit applies to them, so a limit can always be changed again.
   */
  maxInputBytes?: number;
  /**
   * Largest document read whole into a tree, in bytes: a spec, and an event
   * given to `explain`, `deliver` or the analysis (a tree costs many times
   * its text). 0 restores the default (33554432). `matches` of text and
   * `preview` read only what filters need and are bound by `maxInputBytes`.
   */
  maxTreeBytes?: number;
}

export interface SetEntry {
  id: string;
  spec: SpecInput;
  dialect?: DialectName;
  /** This member's compile options (e.g. `allowPrivateNetworks` for a target on the loopback). */
  options?: CompileOptions;
  /** This member's delivery defaults (`secret`, `subscriptionId`, …): `set.deliver` gives `{ ...deliver, ...options }` to its `deliver`. Never shown by the set. */
  deliver?: DeliverOptions;
}

/** `set.add`'s options: compile options, or a set entry's `options` and `deliver`. */
export interface SetEntryOptions {
  dialect?: DialectName;
  allowPrivateNetworks?: boolean;
  update?: boolean;
  /** The member's compile options (as in a set entry); a key given here and beside it must agree. */
  options?: CompileOptions;
  /** The member's delivery defaults (as in a set entry). */
  deliver?: DeliverOptions;
}

export interface LintOptions {
  dialect?: DialectName;
  allowPrivateNetworks?: boolean;
  /** Accepted as `diff` accepts it; lint's findings hold for every event, so a batch changes none. */
  events?: unknown[] | string;
}

export interface DiffOptions {
  dialect?: DialectName;
  allowPrivateNetworks?: boolean;
  /** A batch (an array of events, or JSON/NDJSON text) to count: which events the edit gains and loses. */
  events?: unknown[] | string;
}

export interface ExampleOptions {
  /** A top-level filter index, or a JSON Pointer such as "/filters/2/filters/0": an event that fails it and passes the gate. */
  fail?: number | string;
  /** The event to change as little as possible ("what would this event need to fire?"). */
  base?: Record<string, unknown>;
}

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
  /** `preview` of a stream, its rows handed to `onRows` as they are decided: the counts and errors remain. */
  previewStream(source: StreamSource, options: PreviewStreamOptions & { onRows: NonNullable<PreviewStreamOptions["onRows"]> }): Promise<Omit<PreviewResult, "results" | "matches">>;
  /** `preview` of a stream: the same answer however the input is cut. */
  previewStream(source: StreamSource, options?: PreviewStreamOptions): Promise<PreviewResult>;
}

export interface SubscriptionSet {
  /** `preview` of a stream: the same answer however the input is cut. */
  previewStream(source: StreamSource, options?: Omit<PreviewStreamOptions, "details" | "maxResults" | "onRows">): Promise<SetPreviewResult>;
}

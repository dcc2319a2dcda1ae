// The committed, seeded data generator for `make bench`: Workfront-,
// Asana- and Kanboard-shaped events of realistic size (1 KB to 10 KB) and
// subscriptions over them. Same seed, same bytes, every run.

export function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const hex = (r, n) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(r() * 16)]).join("");
export const CODES = ["PROJ", "TASK", "OPTASK", "USER", "DOCU", "ASSGN", "HOUR", "NOTE"];
export const TYPES = ["CREATE", "UPDATE", "DELETE"];
export const STATUS = ["CUR", "PLN", "CPL", "DED", "NEW", "INP"];

/** A Workfront state of about `size` bytes, shaped like the seed's. */
function state(r, objCode, size) {
  const s = {
    ID: hex(r, 32),
    name: `EventSub ${pick(r, ["Test", "Launch", "Budget", "Review"])} ${hex(r, 8)}`,
    objCode,
    entryDate: "2017-10-06T13:48:07.776-0600",
    accessorIDs: [hex(r, 32)],
    lastUpdateDate: "2017-10-06T13:48:56.980-0600",
    groupID: hex(r, 32),
    sponsorID: null,
    description: null,
    plannedCompletionDate: `2017-10-${String(1 + Math.floor(r() * 28)).padStart(2, "0")}T09:00:00.000-0600`,
    enteredByID: hex(r, 32),
    ownerID: hex(r, 32),
    templateID: null,
    priority: Math.floor(r() * 5),
    companyID: null,
    portfolioID: null,
    referenceNumber: Math.floor(r() * 5000),
    lastUpdatedByID: hex(r, 32),
    customerID: hex(r, 32),
    currency: null,
    categoryID: null,
    status: pick(r, STATUS),
    percentComplete: Math.floor(r() * 101),
    parameterValues: { "DE:Region": pick(r, ["EMEA", "APAC", "AMER"]), "DE:Budget": Math.floor(r() * 100000) },
  };
  let i = 0;
  while (JSON.stringify(s).length < size) s.parameterValues[`DE:Field ${i++}`] = `value ${hex(r, 24)}`;
  return s;
}

export function workfrontEvent(r, size = 1 + Math.floor(r() * 4)) {
  const objCode = r() < 0.5 ? "PROJ" : pick(r, CODES);
  const eventType = pick(r, TYPES);
  const kb = size * 1024 / 2;
  const newState = eventType === "DELETE" ? {} : state(r, objCode, kb);
  const oldState = eventType === "CREATE" ? {} : { ...(eventType === "DELETE" ? state(r, objCode, kb) : newState), status: pick(r, STATUS) };
  return { eventType, subscriptionId: hex(r, 32), eventTime: { nano: 998000000, epochSecond: 1507319336 + Math.floor(r() * 1e6) }, newState, oldState };
}

export function asanaEvent(r) {
  return {
    user: { gid: String(1000 + Math.floor(r() * 100)), resource_type: "user" },
    created_at: "2018-03-05T21:59:04.526Z",
    action: pick(r, ["changed", "added", "removed", "deleted"]),
    resource: { gid: String(Math.floor(r() * 1e9)), resource_type: pick(r, ["task", "story", "project"]), resource_subtype: pick(r, ["default_task", "milestone", "comment_added"]) },
    parent: null,
    change: { field: pick(r, ["due_on", "name", "completed", "assignee"]), action: "changed", new_value: hex(r, 12) },
  };
}

export function kanboardEvent(r) {
  const data = { task_id: String(Math.floor(r() * 1000)), project_id: String(1 + Math.floor(r() * 5)), title: `Task ${hex(r, 6)}`, description: hex(r, 400), color_id: pick(r, ["yellow", "red", "blue"]), column_id: String(1 + Math.floor(r() * 4)), owner_id: "1", position: 1, date_moved: 1431991532 };
  return { event_name: pick(r, ["task.create", "task.update", "task.move.column", "comment.create"]), event_data: data };
}

/**
 * The other dialects' matches() cases: a subscription, a generated event
 * made to match it, and the test a user would write by hand.
 */
export const DIALECT_CASES = [
  {
    dialect: "asana",
    spec: { resource: "1204570003", target: "https://hooks.example.com/asana", filters: [{ resource_type: "task", action: "changed", fields: ["due_on"] }] },
    event(r) {
      const e = asanaEvent(r);
      e.action = "changed";
      e.resource.resource_type = "task";
      e.change.field = "due_on";
      return e;
    },
    handWritten: (e) => e.action === "changed" && e.resource?.resource_type === "task" && e.change?.field === "due_on",
  },
  {
    dialect: "kanboard",
    spec: { url: "https://hooks.example.com/kanboard", token: "t", events: ["task.move.column"], filters: [{ fieldName: "color_id", fieldValue: "red" }] },
    event(r) {
      const e = kanboardEvent(r);
      e.event_name = "task.move.column";
      e.event_data.color_id = "red";
      return e;
    },
    handWritten: (e) => e.event_name === "task.move.column" && e.event_data?.color_id === "red",
  },
];

/** The 3-filter subscription of the matches() case and the same test in JS. */
export const THREE_FILTERS = {
  objCode: "PROJ",
  eventType: "UPDATE",
  url: "https://hooks.example.com/wf",
  authToken: "t",
  filters: [
    { fieldName: "status", fieldValue: "CUR", comparison: "eq" },
    { fieldName: "percentComplete", fieldValue: "50", comparison: "lt" },
    { fieldName: "DE:Region", fieldValue: "EMEA", comparison: "eq" },
  ],
};

/** What a user writes by hand for THREE_FILTERS. */
export function handWritten(e) {
  const s = e.newState && Object.keys(e.newState).length ? e.newState : e.oldState;
  if (e.eventType !== "UPDATE" || s.objCode !== "PROJ") return false;
  const n = e.newState;
  const region = n.parameterValues ? n.parameterValues["DE:Region"] : undefined;
  return n.status === "CUR" && Number(n.percentComplete) < 50 && (n["DE:Region"] ?? region) === "EMEA";
}

/** The same query for sift/mingo (MongoDB syntax). */
export const MONGO_QUERY = { eventType: "UPDATE", "newState.objCode": "PROJ", "newState.status": "CUR", "newState.percentComplete": { $lt: 50 }, "newState.parameterValues.DE:Region": "EMEA" };

/** `n` subscriptions: gates spread over codes/types, eq filters on status and region, some multi-field. */
export function subscriptions(r, n) {
  return Array.from({ length: n }, (_, i) => {
    const filters = [{ fieldName: "status", fieldValue: pick(r, STATUS), comparison: "eq" }];
    if (r() < 0.5) filters.push({ fieldName: "DE:Region", fieldValue: pick(r, ["EMEA", "APAC", "AMER"]), comparison: "eq" });
    if (r() < 0.3) filters.push({ fieldName: "priority", fieldValue: Math.floor(r() * 5), comparison: "gte" });
    return { id: `sub-${i}`, spec: { objCode: pick(r, CODES), eventType: pick(r, TYPES), url: "https://hooks.example.com/x", authToken: "t", filters } };
  });
}

/** A JS hash index a user would write: gate key, then status value. */
export function jsIndex(entries) {
  const idx = new Map();
  entries.forEach(({ id, spec }, pos) => {
    const status = spec.filters.find((f) => f.fieldName === "status")?.fieldValue;
    const key = `${spec.eventType}|${spec.objCode}|${status}`;
    if (!idx.has(key)) idx.set(key, []);
    idx.get(key).push({ id, pos, spec });
  });
  const rest = (spec, s) =>
    spec.filters.every((f) => {
      if (f.fieldName === "status") return true;
      const v = f.fieldName in s ? s[f.fieldName] : s.parameterValues?.[f.fieldName];
      return f.comparison === "eq" ? v === f.fieldValue : typeof v === "number" && v >= f.fieldValue;
    });
  return (e) => {
    const s = e.newState && Object.keys(e.newState).length ? e.newState : e.oldState;
    const list = idx.get(`${e.eventType}|${s.objCode}|${e.newState?.status}`) ?? [];
    return list.filter((x) => rest(x.spec, e.newState ?? {})).map((x) => x.id);
  };
}

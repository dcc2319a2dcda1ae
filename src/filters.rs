//! Workfront's filter syntax (`filters`, `filterConnector`, groups), parsed and
//! validated into plan entries. Workfront uses it natively; Kanboard,
//! R-Service and ricloud specs may carry it as a hookmatch extension, so it
//! lives here rather than in one dialect.

// The filter parsers are built out of line, as error.rs says why: they run
// when a spec or an options object is read, never when an event is matched.

use crate::error::{join, unknown_message, Code, Diagnostic};
use crate::plan::{Comparison, Connector, Entry, FieldRef, Filter, Group, StateSel};
use crate::text::{quote_short, type_name};
use crate::value::Hint;
use serde_json::{Map, Value};

/// Workfront's documented limits for filter groups.
pub const MAX_GROUPS: usize = 10;
pub const MIN_GROUP_FILTERS: usize = 2;
pub const MAX_GROUP_FILTERS: usize = 5;

/// What the filter syntax needs to know about the spec around it.
#[derive(Debug, Clone, Copy, Default)]
pub struct FilterContext<'a> {
    /// The subscription only sees CREATE events, whose `oldState` is empty.
    pub create_only: bool,
    /// Fields the vendor documents as not filterable for this spec, and
    /// the vendor's name for the warning.
    pub unfilterable: &'a [&'a str],
    /// Fields the vendor filters only with `changed` (Workfront's
    /// `USER.userRoles`): any other comparison on them warns.
    pub changed_only: &'a [&'a str],
    pub vendor: &'a str,
}

const FILTER_KEYS: [&str; 5] = ["fieldName", "fieldValue", "comparison", "state", "type"];
const GROUP_KEYS: [&str; 3] = ["type", "connector", "filters"];

/// The hookmatch extension for vendors with no filters of their own
/// (Kanboard, R-Service, ricloud): Workfront's syntax over the event's data,
/// with a warning that the vendor sends every event and the receiver filters.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn parse_extension(
    spec: &Map<String, Value>,
    vendor: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Connector, Vec<Entry>) {
    if spec.contains_key("filters") || spec.contains_key("filterConnector") {
        diags.push(Diagnostic::warning(
            Code::ReceiverSideFilter,
            if spec.contains_key("filters") { "/filters" } else { "/filterConnector" },
            format!(
                "{vendor} itself does not filter: it sends every event, and these filters (a hookmatch extension) must run in your receiver"
            ),
        ));
    }
    parse(spec, FilterContext::default(), diags)
}

/// Add a spec's compiled filters to its normalized form (`toJSON`): the
/// entries with defaults filled in, then the connector.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn insert_normalized(
    normalized: &mut Map<String, Value>,
    connector: Connector,
    entries: &[Entry],
) {
    normalized.insert(
        "filters".into(),
        Value::Array(entries.iter().map(entry_json).collect()),
    );
    normalized.insert("filterConnector".into(), connector.name().into());
}

/// A filter entry as `toJSON` shows it: defaults filled in.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn entry_json(entry: &Entry) -> Value {
    match entry {
        Entry::Filter(f) => filter_json(f),
        Entry::Group(g) => {
            let mut m = Map::new();
            m.insert("type".into(), "group".into());
            m.insert("connector".into(), g.connector.name().into());
            m.insert(
                "filters".into(),
                Value::Array(g.filters.iter().map(filter_json).collect()),
            );
            Value::Object(m)
        }
    }
}

#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn filter_json(f: &Filter) -> Value {
    let mut m = Map::new();
    m.insert("fieldName".into(), f.field_name.clone().into());
    m.insert("fieldValue".into(), f.value.clone());
    m.insert("comparison".into(), f.comparison.name().into());
    m.insert("state".into(), f.state.name().into());
    Value::Object(m)
}

/// Read `filters` and `filterConnector` from a spec object.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn parse(
    spec: &Map<String, Value>,
    ctx: FilterContext<'_>,
    diags: &mut Vec<Diagnostic>,
) -> (Connector, Vec<Entry>) {
    let connector = match crate::json::field(spec, "filterConnector") {
        None | Some(Value::Null) => Connector::And,
        Some(v) => parse_connector(v, "/filterConnector", "filterConnector", diags),
    };
    let list = match crate::json::field(spec, "filters") {
        None | Some(Value::Null) => return (connector, Vec::new()),
        Some(Value::Array(list)) => list,
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                "/filters",
                format!(
                    "filters must be an array of filters, got {}",
                    type_name(other)
                ),
            ));
            return (connector, Vec::new());
        }
    };
    let mut entries = Vec::with_capacity(list.len());
    let mut groups = 0usize;
    for (i, item) in list.iter().enumerate() {
        // Written only when a diagnostic needs it (compile speed).
        let path = || join("/filters", i);
        let Some(obj) = item.as_object() else {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                path(),
                format!("each filter must be an object, got {}", type_name(item)),
            ));
            continue;
        };
        if crate::json::field(obj, "type").is_some() {
            groups += 1;
            if let Some(group) = parse_group(obj, &path(), ctx, diags) {
                entries.push(Entry::Group(group));
            }
        } else if let Some(filter) = parse_filter(obj, &path, ctx, diags) {
            entries.push(Entry::Filter(filter));
        }
    }
    if groups > MAX_GROUPS {
        diags.push(Diagnostic::error(
            Code::TooManyGroups,
            "/filters",
            format!(
                "a subscription may have at most {MAX_GROUPS} filter groups; this one has {groups}"
            ),
        ));
    }
    (connector, entries)
}

#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn parse_connector(v: &Value, path: &str, what: &str, diags: &mut Vec<Diagnostic>) -> Connector {
    match v {
        Value::String(s) => Connector::parse(s).unwrap_or_else(|| {
            diags.push(Diagnostic::error(
                Code::UnknownConnector,
                path,
                unknown_message(what, s, &["AND", "OR"]),
            ));
            Connector::And
        }),
        other => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                path,
                format!("{what} must be \"AND\" or \"OR\", got {}", type_name(other)),
            ));
            Connector::And
        }
    }
}

#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn parse_group(
    obj: &Map<String, Value>,
    path: &str,
    ctx: FilterContext<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Group> {
    let type_path = join(path, "type");
    match obj.get("type") {
        Some(Value::String(t)) if t == "group" => {}
        Some(Value::String(t)) => {
            diags.push(Diagnostic::error(
                Code::UnknownFilterType,
                type_path,
                unknown_message("filter type", t, &["group"]),
            ));
            return None;
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                type_path,
                format!("type must be \"group\", got {}", type_name(other)),
            ));
            return None;
        }
        None => return None,
    }
    warn_unknown_keys(
        obj,
        &|| path.to_string(),
        &GROUP_KEYS,
        "filter group",
        diags,
    );
    let connector = match obj.get("connector") {
        Some(v) => parse_connector(v, &join(path, "connector"), "connector", diags),
        None => {
            diags.push(Diagnostic::error(
                Code::MissingField,
                join(path, "connector"),
                "a filter group needs its own connector, \"AND\" or \"OR\"",
            ));
            Connector::And
        }
    };
    let filters_path = join(path, "filters");
    let list = match obj.get("filters") {
        Some(Value::Array(list)) => list,
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                filters_path,
                format!(
                    "a group's filters must be an array, got {}",
                    type_name(other)
                ),
            ));
            return None;
        }
        None => {
            diags.push(Diagnostic::error(
                Code::MissingField,
                filters_path,
                format!(
                    "a filter group needs filters ({MIN_GROUP_FILTERS} to {MAX_GROUP_FILTERS})"
                ),
            ));
            return None;
        }
    };
    if list.len() < MIN_GROUP_FILTERS || list.len() > MAX_GROUP_FILTERS {
        let code = if list.len() < MIN_GROUP_FILTERS {
            Code::GroupTooSmall
        } else {
            Code::GroupTooLarge
        };
        diags.push(Diagnostic::error(
            code,
            filters_path.clone(),
            format!(
                "a filter group holds {MIN_GROUP_FILTERS} to {MAX_GROUP_FILTERS} filters; this one has {}",
                list.len()
            ),
        ));
    }
    let mut filters = Vec::with_capacity(list.len());
    for (j, item) in list.iter().enumerate() {
        let fpath = join(&filters_path, j);
        match item.as_object() {
            Some(f) if f.contains_key("type") => diags.push(Diagnostic::error(
                Code::NestedGroup,
                fpath,
                "filter groups cannot be nested: a group holds plain filters only",
            )),
            Some(f) => {
                if let Some(filter) = parse_filter(f, &|| fpath.clone(), ctx, diags) {
                    filters.push(filter);
                }
            }
            None => diags.push(Diagnostic::error(
                Code::InvalidType,
                fpath,
                format!("each filter must be an object, got {}", type_name(item)),
            )),
        }
    }
    Some(Group { connector, filters })
}

#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn parse_filter(
    obj: &Map<String, Value>,
    path: &dyn Fn() -> String,
    ctx: FilterContext<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Filter> {
    let before = diags.iter().filter(|d| d.is_error()).count();
    warn_unknown_keys(obj, path, &FILTER_KEYS, "filter", diags);

    // Paths are formatted only when a diagnostic needs one (compile speed).
    let name_path = || join(&path(), "fieldName");
    let given = |key| crate::json::field(obj, key);
    let (given_name, given_comparison) = (given("fieldName"), given("comparison"));
    let (given_state, given_value) = (given("state"), given("fieldValue"));
    let field_name = match given_name {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_)) => {
            diags.push(Diagnostic::error(
                Code::EmptyFieldName,
                name_path(),
                "fieldName must not be empty",
            ));
            String::new()
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                name_path(),
                format!("fieldName must be a string, got {}", type_name(other)),
            ));
            String::new()
        }
        None => {
            diags.push(Diagnostic::error(
                Code::MissingField,
                name_path(),
                "a filter needs a fieldName",
            ));
            String::new()
        }
    };

    let cmp_path = || join(&path(), "comparison");
    let comparison = match given_comparison {
        None => Comparison::Eq,
        Some(Value::String(s)) => Comparison::parse(s).unwrap_or_else(|| {
            diags.push(Diagnostic::error(
                Code::UnknownComparison,
                cmp_path(),
                unknown_message("comparison", s, &Comparison::NAMES),
            ));
            Comparison::Eq
        }),
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                cmp_path(),
                format!("comparison must be a string, got {}", type_name(other)),
            ));
            Comparison::Eq
        }
    };

    let state_path = || join(&path(), "state");
    let (state, state_given) = match given_state {
        None => (StateSel::New, false),
        Some(Value::String(s)) if s == "newState" => (StateSel::New, true),
        Some(Value::String(s)) if s == "oldState" => (StateSel::Old, true),
        Some(Value::String(s)) => {
            diags.push(Diagnostic::error(
                Code::UnknownState,
                state_path(),
                unknown_message("state", s, &["newState", "oldState"]),
            ));
            (StateSel::New, true)
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                state_path(),
                format!(
                    "state must be \"newState\" or \"oldState\", got {}",
                    type_name(other)
                ),
            ));
            (StateSel::New, true)
        }
    };
    // Adobe: "`oldState` is not possible on CREATE `eventTypes`", whatever
    // the comparison.
    if ctx.create_only && state == StateSel::Old {
        diags.push(Diagnostic::error(
            Code::OldStateOnCreate,
            state_path(),
            "oldState is not possible on CREATE subscriptions: a CREATE event's oldState is empty",
        ));
    }
    if ctx.create_only && comparison == Comparison::Changed && state != StateSel::Old {
        diags.push(Diagnostic::warning(
            Code::ChangedOnCreate,
            cmp_path(),
            "on CREATE events oldState is empty, so changed passes whenever the field is present",
        ));
    }

    let value_path = || join(&path(), "fieldValue");
    let value = match given_value {
        Some(v) => v.clone(),
        None if comparison == Comparison::Changed => Value::Null,
        None => {
            diags.push(Diagnostic::error(
                Code::MissingField,
                value_path(),
                format!(
                    "fieldValue is required for comparison \"{}\"",
                    comparison.name()
                ),
            ));
            Value::Null
        }
    };
    check_value(comparison, given_value, &value_path, diags);

    let field = if field_name.starts_with('/') {
        match parse_pointer(&field_name) {
            Some(tokens) => FieldRef::Pointer(tokens),
            None => {
                diags.push(Diagnostic::error(
                    Code::InvalidPointer,
                    join(&path(), "fieldName"),
                    format!(
                        "fieldName {} starts with \"/\" so it is read as a JSON Pointer, but \"~\" must be followed by 0 or 1",
                        quote_short(&field_name)
                    ),
                ));
                FieldRef::Name
            }
        }
    } else {
        FieldRef::Name
    };

    let top = match &field {
        FieldRef::Name => Some(field_name.as_str()),
        FieldRef::Pointer(t) => t.first().map(String::as_str),
    };
    if let Some(top) = top.filter(|t| ctx.unfilterable.contains(t)) {
        diags.push(Diagnostic::warning(
            Code::UnfilterableField,
            join(&path(), "fieldName"),
            format!(
                "{} does not filter on {top}: this filter will not work in {}",
                ctx.vendor, ctx.vendor
            ),
        ));
    }
    if let Some(top) =
        top.filter(|t| comparison != Comparison::Changed && ctx.changed_only.contains(t))
    {
        diags.push(Diagnostic::warning(
            Code::UnfilterableField,
            cmp_path(),
            format!(
                "{} filters {top} only with the changed comparison, not {}: this filter will not work in {}; use \"comparison\": \"changed\"",
                ctx.vendor,
                comparison.name(),
                ctx.vendor
            ),
        ));
    }

    if diags.iter().filter(|d| d.is_error()).count() > before {
        return None;
    }
    let hint = Hint::of(&value);
    Some(Filter {
        field_name,
        field,
        comparison,
        state,
        state_given,
        value,
        hint,
    })
}

/// Which `fieldValue` types make sense for each comparison.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn check_value(
    comparison: Comparison,
    value: Option<&Value>,
    path: &dyn Fn() -> String,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(v) = value else { return };
    let problem = match comparison {
        Comparison::Changed => {
            if !matches!(v, Value::Null) && v != &Value::String(String::new()) {
                diags.push(Diagnostic::warning(
                    Code::IgnoredFieldValue,
                    path(),
                    "changed ignores fieldValue; it compares oldState with newState",
                ));
            }
            None
        }
        c if c.is_ordering() => (!matches!(v, Value::String(_) | Value::Number(_))).then(|| {
            format!(
                "{} needs a number, a date-time or a string to compare with, got {}",
                c.name(),
                type_name(v)
            )
        }),
        Comparison::Contains | Comparison::NotContains => {
            matches!(v, Value::Object(_) | Value::Null).then(|| {
                format!(
                    "{} needs a string, a number or an array of values, got {}",
                    comparison.name(),
                    type_name(v)
                )
            })
        }
        Comparison::ContainsOnly => {
            let ok = match v {
                Value::Array(items) => items
                    .iter()
                    .all(|i| !matches!(i, Value::Array(_) | Value::Object(_))),
                Value::Object(_) | Value::Null => false,
                _ => true,
            };
            (!ok).then(|| {
                "containsOnly needs an array of options (or one option) to compare the field's set of values with"
                    .to_string()
            })
        }
        _ => None,
    };
    if let Some(why) = problem {
        diags.push(Diagnostic::error(Code::InvalidFieldValue, path(), why));
    }
}

#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn warn_unknown_keys(
    obj: &Map<String, Value>,
    path: &dyn Fn() -> String,
    known: &[&str],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for key in obj.keys() {
        if !known.contains(&key.as_str()) {
            diags.push(Diagnostic::warning(
                Code::UnknownField,
                join(&path(), key),
                unknown_message(&format!("{what} field"), key, known),
            ));
        }
    }
}

/// Split and unescape an RFC 6901 pointer; `None` for a bad `~` escape.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn parse_pointer(p: &str) -> Option<Vec<String>> {
    let rest = p.strip_prefix('/')?;
    rest.split('/')
        .map(|tok| {
            let mut out = String::with_capacity(tok.len());
            let mut chars = tok.chars();
            while let Some(c) = chars.next() {
                if c == '~' {
                    match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return None,
                    }
                } else {
                    out.push(c);
                }
            }
            Some(out)
        })
        .collect()
}

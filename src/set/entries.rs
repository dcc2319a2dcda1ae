//! `compile`'s entries (`{ id, spec, dialect?, options?, deliver? }`) and
//! `add`'s options read into members: every field checked where it is read,
//! and a bad entry reported with its id, index and path (`SetError`) while
//! the others still compile. Kept apart from the set so the entry format
//! grows here alone.

// The entry readers are built out of line, as error.rs says why: they run
// when a spec or an options object is read, never when an event is matched.

use super::{DeliverDefaults, SubscriptionSet};
use crate::dialect::Dialect;
use crate::error::{join, Code, Error};
use crate::options::{Options, SpecOptions};
use crate::subscription::{CompileOptions, Subscription};
use serde::Serialize;
use serde_json::Value;

/// An entry that did not compile: its id, where in the input, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetError {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub id: Option<String>,
    pub index: usize,
    #[cfg_attr(test, ts(type = "ErrorCode"))]
    pub code: Code,
    /// JSON Pointer into the entries array, e.g. `/3/spec/filters/0/comparison`.
    pub path: String,
    pub message: String,
}

/// A member of `SubscriptionSet::compile`'s entries or of `add`: its id,
/// its spec and how to compile it, and its delivery defaults.
pub struct NewMember<'a> {
    pub id: &'a str,
    pub spec: &'a Value,
    pub options: CompileOptions,
    pub deliver: DeliverDefaults,
}

/// `set.add`'s third argument: compile options (as before), and a set
/// entry's `options` and `deliver`.
#[derive(Debug, Default)]
pub struct EntryOptions {
    pub options: CompileOptions,
    pub deliver: DeliverDefaults,
}

impl Options for EntryOptions {
    const KEYS: &'static [&'static str] = &[
        "dialect",
        "update",
        "allowPrivateNetworks",
        "options",
        "deliver",
    ];
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn read(o: &crate::options::Object<'_>) -> Result<Self, Error> {
        let flat = SpecOptions::read(o)?;
        let nested = match o.value("options") {
            None => None,
            Some(v) => Some(
                crate::options::from_value::<SpecOptions>(v, "add options.options")
                    .map_err(|e| e.under("/options"))?,
            ),
        };
        let options = merge_spec_options(Some(flat), nested).map_err(|e| e.under("/options"))?;
        let deliver = match o.value("deliver") {
            None => DeliverDefaults::default(),
            Some(v) => DeliverDefaults::from_value(v).map_err(|e| e.under("/deliver"))?,
        };
        Ok(EntryOptions { options, deliver })
    }
}

/// Compile options given in two places (a set entry's `dialect` and its
/// `options`, or `add`'s flat keys and its `options`): each key once, or
/// twice with the same value; different values are refused rather than
/// one silently winning. The error's path is the key under `options`.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn merge_spec_options(
    outer: Option<SpecOptions>,
    inner: Option<SpecOptions>,
) -> Result<CompileOptions, Error> {
    let (outer, inner) = (outer.unwrap_or_default(), inner.unwrap_or_default());
    let conflict = |key: &str| {
        Error::new(
            Code::InvalidInput,
            format!("{key} is given twice with different values (beside options and in options); give it once"),
        )
        .at(join("", key))
    };
    let dialect = match (outer.dialect, inner.dialect) {
        (Some(a), Some(b)) if a != b => return Err(conflict("dialect")),
        (a, b) => a.or(b),
    };
    let flag = |a: bool, b: bool| a || b;
    SpecOptions {
        dialect,
        update: flag(outer.update, inner.update),
        allow_private_networks: flag(outer.allow_private_networks, inner.allow_private_networks),
    }
    .to_compile()
}

impl SubscriptionSet {
    /// Compile `[{id, spec, dialect?}, ...]`; invalid entries are reported in
    /// [`SubscriptionSet::errors`] and do not stop the others.
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn compile(entries: &Value) -> Result<SubscriptionSet, Error> {
        let list = entries.as_array().ok_or_else(|| {
            Error::new(
                Code::InvalidInput,
                "SubscriptionSet.compile takes an array of { id, spec, dialect? }",
            )
            .at("")
        })?;
        let mut set = SubscriptionSet::default();
        // Grown once, not rehashed through every power of two.
        set.positions.reserve(list.len());
        set.members.reserve(list.len());
        for (i, entry) in list.iter().enumerate() {
            // Made only for an entry that fails.
            let path = || join("", i);
            let entry_field = |key| entry.as_object().and_then(|m| crate::json::field(m, key));
            let id = entry_field("id").and_then(Value::as_str);
            let fail = |code: Code, at: String, message: String| SetError {
                id: id.map(str::to_string),
                index: i,
                code,
                path: at,
                message,
            };
            let Some(id_str) = id else {
                set.errors.push(fail(
                    Code::InvalidEntry,
                    join(&path(), "id"),
                    "each entry needs an id string".into(),
                ));
                continue;
            };
            if set.positions.contains_key(id_str) {
                set.errors.push(fail(
                    Code::DuplicateId,
                    join(&path(), "id"),
                    format!("id {} is used twice", crate::text::quote_short(id_str)),
                ));
                continue;
            }
            let dialect = match entry_field("dialect") {
                None | Some(Value::Null) => None,
                Some(Value::String(d)) => match Dialect::parse(d) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        set.errors.push(fail(
                            Code::UnknownDialect,
                            join(&path(), "dialect"),
                            e.message,
                        ));
                        continue;
                    }
                },
                _ => {
                    set.errors.push(fail(
                        Code::InvalidEntry,
                        join(&path(), "dialect"),
                        "dialect must be a string".into(),
                    ));
                    continue;
                }
            };
            let Some(spec) = entry_field("spec") else {
                set.errors.push(fail(
                    Code::InvalidEntry,
                    join(&path(), "spec"),
                    "each entry needs a spec".into(),
                ));
                continue;
            };
            // A spec given as its JSON text, as `add` and `compile` take it.
            let parsed;
            let spec = match spec {
                Value::String(text) => match crate::json::parse(text.as_bytes(), "the spec") {
                    Ok(v) => {
                        parsed = v;
                        &parsed
                    }
                    Err(e) => {
                        set.errors
                            .push(fail(e.kind, join(&path(), "spec"), e.message));
                        continue;
                    }
                },
                other => other,
            };
            // The member's compile options and delivery defaults, each
            // checked as `compile` and `deliver` check their options.
            let option_error = |e: Error, key: &str| {
                let code = match e.kind {
                    Code::UnknownDialect => Code::UnknownDialect,
                    _ => Code::InvalidEntry,
                };
                let at = format!("{}{}", join(&path(), key), e.path.as_deref().unwrap_or(""));
                fail(code, at, e.message)
            };
            let given = match entry_field("options") {
                None | Some(Value::Null) => None,
                Some(v) => match crate::options::from_value::<SpecOptions>(v, "options") {
                    Ok(o) => Some(o),
                    Err(e) => {
                        set.errors.push(option_error(e, "options"));
                        continue;
                    }
                },
            };
            let outer = SpecOptions {
                dialect: dialect.map(|d| d.name().to_string()),
                ..SpecOptions::default()
            };
            let options = match merge_spec_options(Some(outer), given) {
                Ok(o) => o,
                Err(e) => {
                    set.errors.push(option_error(e, "options"));
                    continue;
                }
            };
            let defaults = match entry_field("deliver") {
                None | Some(Value::Null) => DeliverDefaults::default(),
                Some(v) => match DeliverDefaults::from_value(v) {
                    Ok(d) => d,
                    Err(e) => {
                        set.errors.push(option_error(e, "deliver"));
                        continue;
                    }
                },
            };
            match Subscription::compile(spec, options) {
                Ok(sub) => set.insert(id_str.to_string(), sub, defaults),
                Err(e) => {
                    let inner = e.path.clone().unwrap_or_default();
                    let spec_path = join(&path(), "spec");
                    set.errors.push(fail(
                        e.public_code(),
                        format!("{spec_path}{inner}"),
                        e.message,
                    ));
                }
            }
        }
        Ok(set)
    }
}

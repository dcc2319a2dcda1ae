//! The options objects of the API as Rust structs, read from their JSON
//! text at the boundary. Unknown keys are refused (`invalid_input` naming
//! the key), so a typo never silently changes nothing; a wrong type names
//! the option's path.
//!
//! The objects are flat, so each struct reads its keys through [`Object`]
//! rather than a serde derive: measured in wasm, the derives and the float
//! formatting serde's error messages pull in cost 52 KB before wasm-opt
//! (docs/decisions.md).

// The options readers are built out of line, as error.rs says why: they run
// when a spec or an options object is read, never when an event is matched.

use crate::delivery::{DeliverOptions, EventTime, SignatureScheme};
use crate::dialect::Dialect;
use crate::error::{suggest, Code, Error};
use crate::preview::{Format, PreviewOptions};
use crate::subscription::CompileOptions;
use serde_json::{Map, Value};

/// An options struct: its keys, and how it is read from an object.
pub trait Options: Default {
    /// Every key the options object may hold.
    const KEYS: &'static [&'static str];
    fn read(o: &Object<'_>) -> Result<Self, Error>;
}

/// Read an options object from its JSON text; `null` is every default.
/// Unknown keys are refused, naming the key and the closest known one.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn parse<T: Options>(text: &str, what: &str) -> Result<T, Error> {
    from_value(&read_text(text, what)?, what)
}

/// The value of an options object's JSON text. Apart from [`parse`], as
/// [`object_of`] is from [`from_value`]: those two are built once per
/// options type, and only the `T::read` at their end needs to be.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn read_text(text: &str, what: &str) -> Result<Value, Error> {
    // Not `json::parse`: options are what the caller wrote, not input, so
    // the input limit does not apply to them (were it to, `setLimits({
    // maxInputBytes: 10 })` could never be undone: the options that lift
    // it are longer than 10 bytes). The reader's depth limit (serde_json's, 128)
    // holds.
    crate::json::parser::value(text.as_bytes()).map_err(|e| {
        Error::new(
            Code::InvalidInput,
            crate::json::syntax_error(&e, what).message,
        )
    })
}

/// [`parse`] of a value already read (a set entry's `options` and
/// `deliver`, and `set.deliver`'s options merged over a member's defaults).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn from_value<T: Options>(value: &Value, what: &str) -> Result<T, Error> {
    match object_of(value, what, T::KEYS)? {
        None => Ok(T::default()),
        Some(map) => T::read(&Object { map, what }),
    }
}

/// The options object `value` is (`None` for `null`), refused when it is
/// not an object or holds a key not in `keys`.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn object_of<'v>(
    value: &'v Value,
    what: &str,
    keys: &[&str],
) -> Result<Option<&'v Map<String, Value>>, Error> {
    let map = match value {
        Value::Null => return Ok(None),
        Value::Object(map) => map,
        _ => {
            return Err(Error::new(
                Code::InvalidInput,
                format!("{what} must be an object"),
            ))
        }
    };
    if let Some(key) = map.keys().find(|k| !keys.contains(&k.as_str())) {
        let hint = match suggest(key, keys) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None => format!("expected one of {}", keys.join(", ")),
        };
        return Err(Error::new(
            Code::InvalidInput,
            format!(
                "{what} has no option {}; {hint}",
                crate::text::quote_short(key)
            ),
        )
        .at(crate::error::join("", key)));
    }
    Ok(Some(map))
}

/// An options object being read, key by key, each wrong type naming its key.
pub struct Object<'a> {
    map: &'a Map<String, Value>,
    what: &'a str,
}

impl Object<'_> {
    /// A present, non-null value.
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn wrong(&self, key: &str, expected: &str) -> Error {
        Error::new(
            Code::InvalidInput,
            format!("{} {key} must be {expected}", self.what),
        )
        .at(crate::error::join("", key))
    }

    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn flag(&self, key: &str) -> Result<bool, Error> {
        match self.get(key) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(self.wrong(key, "true or false")),
        }
    }

    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn string(&self, key: &str) -> Result<Option<String>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    /// One of `names` (the first is the default when absent).
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn choice(&self, key: &str, names: &[&'static str]) -> Result<usize, Error> {
        match self.get(key) {
            None => Ok(0),
            Some(Value::String(s)) => names
                .iter()
                .position(|n| n == s)
                .ok_or_else(|| self.wrong(key, &format!("one of {}", names.join(", ")))),
            Some(_) => Err(self.wrong(key, &format!("one of {}", names.join(", ")))),
        }
    }

    /// A whole number from 0 to `max`.
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn whole(&self, key: &str, max: u64) -> Result<Option<u64>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .filter(|n| *n <= max)
                .map(Some)
                .ok_or_else(|| self.wrong(key, &format!("a whole number from 0 to {max}"))),
            Some(_) => Err(self.wrong(key, "a whole number")),
        }
    }

    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }

    /// The object as given (`set.deliver` lays it over each member's defaults).
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn map(&self) -> &Map<String, Value> {
        self.map
    }
}

/// `dialect` and how specs are read (`compile`, `validate`, `set.add`).
#[derive(Debug, Default)]
pub struct SpecOptions {
    pub dialect: Option<String>,
    /// `validate` only: check an update body (ricloud).
    pub update: bool,
    /// Accept targets on private networks (Kanboard refuses them unless
    /// its `WEBHOOK_ALLOW_PRIVATE_NETWORKS` is set).
    pub allow_private_networks: bool,
}

impl Options for SpecOptions {
    const KEYS: &'static [&'static str] = &["dialect", "update", "allowPrivateNetworks"];
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn read(o: &Object<'_>) -> Result<Self, Error> {
        Ok(SpecOptions {
            dialect: o.string("dialect")?,
            update: o.flag("update")?,
            allow_private_networks: o.flag("allowPrivateNetworks")?,
        })
    }
}

impl SpecOptions {
    /// The core's options; an unknown dialect is `unknown_dialect`.
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn to_compile(&self) -> Result<CompileOptions, Error> {
        let dialect = match &self.dialect {
            Some(name) => Some(Dialect::parse(name).map_err(|e| e.at("/dialect"))?),
            None => None,
        };
        Ok(CompileOptions {
            dialect,
            update: self.update,
            allow_private_networks: self.allow_private_networks,
        })
    }
}

const FORMATS: [&str; 3] = ["auto", "ndjson", "json"];

/// `preview` and `previewStream` (whose `signal`, `onProgress` and `onRows` stay in JS).
#[derive(Debug, Default)]
pub struct PreviewOptionsIn {
    pub details: bool,
    pub format: Format,
    /// `maxErrors`: at most this many errors kept (default 10,000).
    pub max_errors: Option<u64>,
    /// `maxResults`: at most this many `results` rows kept (default 10,000).
    pub max_results: Option<u64>,
}

/// The largest `maxErrors`/`maxResults`: `Number.MAX_SAFE_INTEGER`, so
/// that it reads as "keep everything".
const MAX_KEPT: u64 = (1 << 53) - 1;

impl Options for PreviewOptionsIn {
    const KEYS: &'static [&'static str] = &["details", "format", "maxErrors", "maxResults"];
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn read(o: &Object<'_>) -> Result<Self, Error> {
        Ok(PreviewOptionsIn {
            details: o.flag("details")?,
            format: [Format::Auto, Format::Ndjson, Format::Json][o.choice("format", &FORMATS)?],
            max_errors: o.whole("maxErrors", MAX_KEPT)?,
            max_results: o.whole("maxResults", MAX_KEPT)?,
        })
    }
}

impl PreviewOptionsIn {
    /// A set's preview: it counts matches per id, so it has no rows
    /// (`details`, `maxResults`) and saying either is refused.
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn for_set(self) -> Result<PreviewOptions, Error> {
        for (given, key) in [
            (self.details, "details"),
            (self.max_results.is_some(), "maxResults"),
        ] {
            if given {
                return Err(Error::new(
                    Code::InvalidInput,
                    format!("a set's preview counts matches per id; it has no {key} (use a Subscription's preview)"),
                )
                .at(crate::error::join("", key)));
            }
        }
        Ok(self.into())
    }
}

impl From<PreviewOptionsIn> for PreviewOptions {
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn from(o: PreviewOptionsIn) -> PreviewOptions {
        let kept = |n: Option<u64>| {
            n.map_or(crate::preview::DEFAULT_MAX_KEPT, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            })
        };
        PreviewOptions {
            details: o.details,
            format: o.format,
            max_errors: kept(o.max_errors),
            max_results: kept(o.max_results),
        }
    }
}

/// `deliver`'s options.
#[derive(Debug, Default)]
pub struct DeliverOptionsIn(pub DeliverOptions);

impl Options for DeliverOptionsIn {
    const KEYS: &'static [&'static str] = &[
        "subscriptionId",
        "eventTime",
        "secret",
        "webhookId",
        "timestamp",
        "test",
        "handshake",
        "heartbeat",
        "signature",
    ];
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn read(o: &Object<'_>) -> Result<Self, Error> {
        let event_time = match o.value("eventTime") {
            None => None,
            Some(v) => Some(EventTime::from_json(v).ok_or_else(|| {
                o.wrong(
                    "eventTime",
                    "milliseconds since the epoch or {epochSecond, nano}",
                )
            })?),
        };
        let signature = match o.choice("signature", &["", "standard-webhooks"])? {
            1 => Some(SignatureScheme::StandardWebhooks),
            _ if o.value("signature") == Some(&Value::String(String::new())) => {
                return Err(o.wrong("signature", "\"standard-webhooks\""))
            }
            _ => None,
        };
        let timestamp = o.whole("timestamp", i64::MAX as u64)?.map(|t| t as i64);
        Ok(DeliverOptionsIn(DeliverOptions {
            subscription_id: o.string("subscriptionId")?,
            event_time,
            secret: o.string("secret")?,
            webhook_id: o.string("webhookId")?,
            timestamp,
            test: o.flag("test")?,
            handshake: o.flag("handshake")?,
            heartbeat: o.flag("heartbeat")?,
            signature,
            now_ms: None,
            random: None,
        }))
    }
}

/// `verify`'s options.
#[derive(Debug, Default)]
pub struct VerifyOptionsIn {
    /// Largest accepted signature age, seconds.
    pub tolerance: Option<i64>,
    /// Now, in Unix seconds.
    pub now: Option<i64>,
    /// The one scheme to check (`crate::signing::SCHEMES`).
    pub scheme: Option<String>,
}

impl Options for VerifyOptionsIn {
    const KEYS: &'static [&'static str] = &["tolerance", "now", "scheme"];
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn read(o: &Object<'_>) -> Result<Self, Error> {
        let seconds = |k| Ok::<_, Error>(o.whole(k, i64::MAX as u64)?.map(|t| t as i64));
        let schemes = &crate::signing::SCHEMES;
        let scheme = match o.string("scheme") {
            Ok(Some(s)) if !schemes.contains(&s.as_str()) => {
                Err(o.wrong("scheme", &format!("one of {}", schemes.join(", "))))
            }
            Err(_) => Err(o.wrong("scheme", &format!("one of {}", schemes.join(", ")))),
            Ok(s) => Ok(s),
        }?;
        Ok(VerifyOptionsIn {
            tolerance: seconds("tolerance")?,
            now: seconds("now")?,
            scheme,
        })
    }
}

/// `encodeBase64` / `decodeBase64` options: `alphabet` is `"standard"`
/// (or `"base64"`) or `"url"` (or `"base64url"`).
#[derive(Debug, Default)]
pub struct Base64OptionsIn {
    pub url: bool,
}

impl Options for Base64OptionsIn {
    const KEYS: &'static [&'static str] = &["alphabet"];
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn read(o: &Object<'_>) -> Result<Self, Error> {
        let i = o.choice("alphabet", &["standard", "base64", "url", "base64url"])?;
        Ok(Base64OptionsIn { url: i >= 2 })
    }
}

/// `setLimits`.
#[derive(Debug, Default)]
pub struct LimitsIn {
    /// Largest input accepted, bytes; 0 restores the default.
    pub max_input_bytes: Option<u64>,
    /// Largest document read whole into a tree, bytes; 0 restores the default.
    pub max_tree_bytes: Option<u64>,
}

impl Options for LimitsIn {
    const KEYS: &'static [&'static str] = &["maxInputBytes", "maxTreeBytes"];
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn read(o: &Object<'_>) -> Result<Self, Error> {
        Ok(LimitsIn {
            max_input_bytes: o.whole("maxInputBytes", u64::from(u32::MAX))?,
            max_tree_bytes: o.whole("maxTreeBytes", u64::from(u32::MAX))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named_with_a_hint() {
        let e = parse::<PreviewOptionsIn>(r#"{"detail": true}"#, "preview options").unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        assert_eq!(e.path.as_deref(), Some("/detail"));
        assert!(e.message.contains("\"detail\""), "{}", e.message);
        assert!(
            e.message.contains("did you mean \"details\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn wrong_types_name_the_path() {
        let e = parse::<DeliverOptionsIn>(r#"{"test": "yes"}"#, "deliver options").unwrap_err();
        assert_eq!(e.path.as_deref(), Some("/test"));
        let e = parse::<PreviewOptionsIn>(r#"{"format": "csv"}"#, "preview options").unwrap_err();
        assert_eq!(e.path.as_deref(), Some("/format"));
        assert!(e.message.contains("ndjson"), "{}", e.message);
        let e = parse::<VerifyOptionsIn>(r#"{"now": 1.5}"#, "verify options").unwrap_err();
        assert_eq!(e.path.as_deref(), Some("/now"));
        let e = parse::<LimitsIn>(r#"{"maxInputBytes": -1}"#, "limits").unwrap_err();
        assert_eq!(e.path.as_deref(), Some("/maxInputBytes"));
    }

    /// The TypeScript of each options object (pkg-template/api.d.ts) lists
    /// exactly the keys its struct reads.
    #[test]
    fn the_typescript_options_are_the_structs_keys() {
        let dts = include_str!("../pkg-template/api.d.ts");
        let keys_of = |interface: &str| -> Vec<String> {
            let start = dts
                .find(&format!("export interface {interface} "))
                .unwrap_or_else(|| panic!("no interface {interface}"));
            let body = &dts[start..];
            let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
            body.lines()
                .filter_map(|l| {
                    let l = l.trim();
                    let name = l.split(['?', ':']).next()?;
                    (!l.starts_with("/**") && !l.starts_with('*') && l.contains("?:"))
                        .then(|| name.to_string())
                })
                .collect()
        };
        let check = |interface: &str, keys: &[&str]| {
            let mut have = keys_of(interface);
            let mut want: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            have.sort();
            want.sort();
            assert_eq!(have, want, "{interface}");
        };
        check("CompileOptions", SpecOptions::KEYS);
        check("PreviewOptions", PreviewOptionsIn::KEYS);
        check("DeliverOptions", DeliverOptionsIn::KEYS);
        check("VerifyOptions", VerifyOptionsIn::KEYS);
        check("Base64Options", Base64OptionsIn::KEYS);
        check("Limits", LimitsIn::KEYS);
        check("SetEntryOptions", crate::set::EntryOptions::KEYS);
    }

    #[test]
    fn null_and_defaults() {
        let o = parse::<DeliverOptionsIn>("null", "x").unwrap().0;
        assert!(!o.test && o.secret.is_none());
        let o = parse::<DeliverOptionsIn>(r#"{"eventTime": 1507319336998, "secret": null}"#, "x")
            .unwrap()
            .0;
        assert_eq!(
            o.event_time,
            Some(EventTime {
                epoch_second: 1507319336,
                nano: 998_000_000
            })
        );
        assert!(o.secret.is_none());
        let b = parse::<Base64OptionsIn>(r#"{"alphabet": "base64url"}"#, "x").unwrap();
        assert!(b.url);
    }
}

/// `lint` and `diff`: how specs are read, and the batch `diff` counts.
#[derive(Debug, Default)]
pub struct AnalysisOptions {
    pub spec: SpecOptions,
    /// Events as `preview` reads them: JSON text (an array, NDJSON or a
    /// sequence), or an array of events written back as JSON text.
    pub events: Option<String>,
}

impl Options for AnalysisOptions {
    const KEYS: &'static [&'static str] = &["dialect", "allowPrivateNetworks", "events"];
    fn read(o: &Object<'_>) -> Result<Self, Error> {
        let events = match o.value("events") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v @ Value::Array(_)) => Some(crate::json::text(v)),
            Some(_) => {
                return Err(o.wrong("events", "an array of events or their JSON/NDJSON text"))
            }
        };
        Ok(AnalysisOptions {
            spec: SpecOptions {
                dialect: o.string("dialect")?,
                update: false,
                allow_private_networks: o.flag("allowPrivateNetworks")?,
            },
            events,
        })
    }
}

/// `sub.example`'s options.
#[derive(Debug, Default)]
pub struct ExampleOptions {
    /// A top-level filter index or a JSON Pointer to a filter.
    pub fail: Option<Value>,
    /// The event to change as little as possible.
    pub base: Option<Value>,
}

impl Options for ExampleOptions {
    const KEYS: &'static [&'static str] = &["fail", "base"];
    fn read(o: &Object<'_>) -> Result<Self, Error> {
        let fail = match o.value("fail") {
            None | Some(Value::Null) => None,
            Some(v @ (Value::Number(_) | Value::String(_))) => Some(v.clone()),
            Some(_) => {
                return Err(o.wrong(
                    "fail",
                    "a filter index or a JSON Pointer such as \"/filters/0\"",
                ))
            }
        };
        let base = match o.value("base") {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => Some(v.clone()),
            Some(_) => return Err(o.wrong("base", "an event object")),
        };
        Ok(ExampleOptions { fail, base })
    }
}

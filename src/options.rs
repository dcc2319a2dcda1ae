//! The options objects of the API as Rust structs, read from their JSON
//! text at the boundary. Unknown keys are refused (`invalid_input` naming
//! the key), so a typo never silently changes nothing; a wrong type names
//! the option's path.

use crate::delivery::{DeliverOptions, EventTime, SignatureScheme};
use crate::dialect::Dialect;
use crate::error::{suggest, Error, ErrorKind};
use crate::preview::{Format, PreviewOptions};
use crate::subscription::CompileOptions;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Read an options object from its JSON text; `null` is every default.
pub fn parse<T: DeserializeOwned + Default>(text: &str, what: &str) -> Result<T, Error> {
    if text.trim() == "null" {
        return Ok(T::default());
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let detail = inner
            .find(" at line")
            .map_or(inner.as_str(), |i| &inner[..i]);
        let (message, path) = match unknown_field(detail) {
            Some((key, known)) => {
                let hint = match suggest(key, &known) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => format!("expected one of {}", known.join(", ")),
                };
                // The path already ends with the unknown key.
                (
                    format!("{what} has no option \"{key}\"; {hint}"),
                    pointer(&path),
                )
            }
            None => (format!("{what}: {path}: {detail}"), pointer(&path)),
        };
        Error::new(ErrorKind::InvalidInput, message).at(path)
    })
}

/// serde's "unknown field `k`, expected `a` or `b`" as the key and the known ones.
fn unknown_field(detail: &str) -> Option<(&str, Vec<&str>)> {
    let rest = detail.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let known = rest.split('`').skip(1).step_by(2).collect();
    Some((key, known))
}

/// serde_path_to_error's `a.b[0]` as a JSON Pointer.
fn pointer(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut out = String::new();
    for part in path.split('.') {
        let (name, indexes) = part.split_once('[').map_or((part, ""), |(n, i)| (n, i));
        if !name.is_empty() {
            out = crate::error::join(&out, name);
        }
        for i in indexes.split('[').filter(|s| !s.is_empty()) {
            out = crate::error::join(&out, i.trim_end_matches(']'));
        }
    }
    out
}

/// `dialect` and how specs are read (`compile`, `validate`, `set.add`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SpecOptions {
    pub dialect: Option<String>,
    /// `validate` only: check an update body (ricloud).
    #[serde(default)]
    pub update: bool,
    /// Accept targets on private networks (Kanboard refuses them unless
    /// its `WEBHOOK_ALLOW_PRIVATE_NETWORKS` is set).
    #[serde(default)]
    pub allow_private_networks: bool,
}

impl SpecOptions {
    /// The core's options; an unknown dialect is `unknown_dialect`.
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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatName {
    #[default]
    Auto,
    Ndjson,
    Json,
}

impl From<FormatName> for Format {
    fn from(f: FormatName) -> Format {
        match f {
            FormatName::Auto => Format::Auto,
            FormatName::Ndjson => Format::Ndjson,
            FormatName::Json => Format::Json,
        }
    }
}

/// `preview` and `previewStream` (whose `signal` and `onProgress` stay in JS).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PreviewOptionsIn {
    #[serde(default)]
    pub details: bool,
    #[serde(default)]
    pub format: FormatName,
}

impl From<PreviewOptionsIn> for PreviewOptions {
    fn from(o: PreviewOptionsIn) -> PreviewOptions {
        PreviewOptions {
            details: o.details,
            format: o.format.into(),
        }
    }
}

/// `{ epochSecond, nano }` or milliseconds since the epoch.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum EventTimeIn {
    Millis(f64),
    Parts {
        #[serde(rename = "epochSecond")]
        epoch_second: i64,
        #[serde(default)]
        nano: u32,
    },
}

#[derive(Debug, Deserialize)]
pub enum SignatureName {
    #[serde(rename = "standard-webhooks")]
    StandardWebhooks,
}

/// `deliver`'s options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeliverOptionsIn {
    pub subscription_id: Option<String>,
    pub event_time: Option<EventTimeIn>,
    pub secret: Option<String>,
    pub webhook_id: Option<String>,
    pub timestamp: Option<u64>,
    #[serde(default)]
    pub test: bool,
    #[serde(default)]
    pub handshake: bool,
    #[serde(default)]
    pub heartbeat: bool,
    pub signature: Option<SignatureName>,
}

impl DeliverOptionsIn {
    pub fn into_options(self) -> Result<DeliverOptions, Error> {
        let event_time = match self.event_time {
            None => None,
            Some(EventTimeIn::Millis(ms)) => Some(EventTime::from_millis(ms).ok_or_else(bad_time)?),
            Some(EventTimeIn::Parts { epoch_second, nano }) if nano < 1_000_000_000 => {
                Some(EventTime { epoch_second, nano })
            }
            Some(_) => return Err(bad_time()),
        };
        Ok(DeliverOptions {
            subscription_id: self.subscription_id,
            event_time,
            secret: self.secret,
            webhook_id: self.webhook_id,
            timestamp: self.timestamp.map(|t| i64::try_from(t).unwrap_or(i64::MAX)),
            test: self.test,
            handshake: self.handshake,
            heartbeat: self.heartbeat,
            signature: self
                .signature
                .map(|SignatureName::StandardWebhooks| SignatureScheme::StandardWebhooks),
            now_ms: None,
            random: None,
        })
    }
}

fn bad_time() -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        "eventTime must be milliseconds since the epoch or {epochSecond, nano}",
    )
    .at("/eventTime")
}

/// `verify`'s options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyOptionsIn {
    /// Largest accepted signature age, seconds.
    pub tolerance: Option<u64>,
    /// Now, in Unix seconds.
    pub now: Option<u64>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub enum AlphabetName {
    #[default]
    #[serde(rename = "standard", alias = "base64")]
    Standard,
    #[serde(rename = "url", alias = "base64url")]
    Url,
}

/// `encodeBase64` / `decodeBase64` options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base64OptionsIn {
    #[serde(default)]
    pub alphabet: AlphabetName,
}

/// `setLimits`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LimitsIn {
    /// Largest input accepted, bytes; 0 restores the default.
    pub max_input_bytes: Option<u32>,
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
    }

    #[test]
    fn null_and_defaults() {
        let o = parse::<DeliverOptionsIn>("null", "x").unwrap();
        assert!(!o.test && o.secret.is_none());
        let o: DeliverOptions = parse::<DeliverOptionsIn>(r#"{"eventTime": 1507319336998}"#, "x")
            .unwrap()
            .into_options()
            .unwrap();
        assert_eq!(
            o.event_time,
            Some(EventTime {
                epoch_second: 1507319336,
                nano: 998_000_000
            })
        );
    }
}

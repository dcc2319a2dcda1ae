//! A compiled subscription: parse and validate once, evaluate many times.

use crate::delivery::{self, DeliverOptions, Delivery};
use crate::dialect::{Compiled, Dialect, Single, SpecContext};
use crate::error::{Diagnostic, Error};
use crate::eval::{self, Explanation};
use crate::event::At;
use crate::preview::{self, PreviewError, PreviewOptions, PreviewResult, PreviewRow};
use crate::projection::{self, Projection};
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Subscription {
    dialect: Dialect,
    compiled: Compiled,
    warnings: Vec<Diagnostic>,
    /// The fields of an event the plan reads (the fast text path), made on
    /// first use: members of a set never need their own.
    projection: std::sync::OnceLock<Projection>,
}

/// Options for `compile` and `validate`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompileOptions {
    pub dialect: Option<Dialect>,
    /// `validate` only: check an update body (ricloud's update rule).
    pub update: bool,
    /// Accept targets on private networks (Kanboard refuses them unless
    /// `WEBHOOK_ALLOW_PRIVATE_NETWORKS` is set).
    pub allow_private_networks: bool,
}

impl CompileOptions {
    fn context(&self) -> SpecContext {
        SpecContext {
            update: self.update,
            allow_private_networks: self.allow_private_networks,
        }
    }
}

/// Check a spec; `[]` when valid. Bad specs never make this fail: an
/// undetectable dialect is reported as an `unknown_dialect` diagnostic.
pub fn validate(spec: &Value, opts: CompileOptions) -> Vec<Diagnostic> {
    let dialect = match opts.dialect.map_or_else(|| Dialect::detect(spec), Ok) {
        Ok(d) => d,
        Err(e) => return vec![Diagnostic::error("unknown_dialect", "", e.message)],
    };
    let mut diags = Vec::new();
    dialect.compile(spec, &opts.context(), &mut diags);
    diags
}

/// `validate` of JSON text: a syntax error is an `invalid_json` diagnostic.
pub fn validate_text(spec: &[u8], opts: CompileOptions) -> Result<Vec<Diagnostic>, Error> {
    match crate::json::parse(spec, "the spec") {
        Ok(v) => Ok(validate(&v, opts)),
        Err(e) if e.kind == crate::error::ErrorKind::InvalidJson => {
            Ok(vec![Diagnostic::error("invalid_json", "", e.message)])
        }
        Err(e) => Err(e),
    }
}

impl Subscription {
    pub fn compile(spec: &Value, opts: CompileOptions) -> Result<Subscription, Error> {
        let dialect = match opts.dialect {
            Some(d) => d,
            None => Dialect::detect(spec)?,
        };
        let mut diags = Vec::new();
        let ctx = SpecContext {
            update: false,
            ..opts.context()
        };
        match dialect.compile(spec, &ctx, &mut diags) {
            Some(compiled) if !diags.iter().any(Diagnostic::is_error) => Ok(Subscription {
                dialect,
                compiled,
                warnings: diags,
                projection: std::sync::OnceLock::new(),
            }),
            _ => Err(Error::from_diagnostics(diags)),
        }
    }

    pub fn compile_text(spec: &[u8], opts: CompileOptions) -> Result<Subscription, Error> {
        let value = crate::json::parse(spec, "the spec").map_err(|e| e.at(""))?;
        Subscription::compile(&value, opts)
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Warnings found while compiling (a spec with errors does not compile).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub fn plan(&self) -> &crate::plan::Plan {
        &self.compiled.plan
    }

    /// The fields of an event this subscription reads.
    pub fn projection(&self) -> &Projection {
        self.projection.get_or_init(|| {
            projection::plan::of(self.dialect.vendor().shape(), &self.compiled.plan)
        })
    }

    /// The normalized spec with secrets redacted.
    pub fn to_json(&self) -> Value {
        self.compiled.normalized.to_value(&self.compiled.plan)
    }

    pub fn matches(&self, event: &Value) -> Result<bool, Error> {
        self.matches_at(At::Value(event))
    }

    fn matches_at(&self, event: At<'_>) -> Result<bool, Error> {
        match self.dialect.single_event(event)? {
            Single::Event(one) => self.matches_one(one),
            Single::Heartbeat => Ok(false),
        }
    }

    fn matches_one(&self, event: At<'_>) -> Result<bool, Error> {
        let ev = self.dialect.prepare(event)?;
        Ok(eval::matches(&self.compiled.plan, &ev))
    }

    /// `matches` of JSON text, reading only the fields the plan needs.
    pub fn matches_text(&self, event: &[u8]) -> Result<bool, Error> {
        let text = crate::json::utf8(event, "the event")?;
        let node = projection::parse(text, self.projection())
            .map_err(|e| crate::json::syntax_error(&e, "the event"))?;
        self.matches_at(At::Node(&node))
    }

    pub fn explain(&self, event: &Value) -> Result<Explanation, Error> {
        match self.dialect.single_event(At::Value(event))? {
            Single::Event(one) => {
                let ev = self.dialect.prepare(one)?;
                Ok(eval::explain(&self.compiled.plan, &ev))
            }
            Single::Heartbeat => Ok(eval::heartbeat(self.dialect.vendor().heartbeat())),
        }
    }

    pub fn explain_text(&self, event: &[u8]) -> Result<Explanation, Error> {
        self.explain(&crate::json::parse(event, "the event")?)
    }

    /// Evaluate a batch; bad events become `errors` entries.
    pub fn preview(&self, input: &[u8]) -> Result<PreviewResult, Error> {
        self.preview_with(input, PreviewOptions::default())
    }

    pub fn preview_with(&self, input: &[u8], opts: PreviewOptions) -> Result<PreviewResult, Error> {
        let mut result = PreviewResult::default();
        let mut rows = Vec::new();
        let mut index = 0usize;
        let batch = self.projection().for_batch();
        let parse = |text: &str| projection::parse(text, &batch);
        preview::read_batch_with(input, &parse, |item| {
            let mut one = |doc: Result<At<'_>, Error>| {
                self.preview_one(doc, item.line, index, opts, &mut result, &mut rows);
                index += 1;
            };
            match item.event {
                // Only an envelope (Asana's body) holds several events; the
                // common case allocates nothing per event.
                Ok(ref doc) => match self.dialect.envelope(At::Node(doc)) {
                    Some(events) => events.into_iter().for_each(|e| one(Ok(e))),
                    None => one(Ok(At::Node(doc))),
                },
                Err(e) => one(Err(e)),
            }
        })?;
        if opts.details {
            result.results = Some(rows);
        }
        Ok(result)
    }

    fn preview_one(
        &self,
        doc: Result<At<'_>, Error>,
        line: Option<usize>,
        index: usize,
        opts: PreviewOptions,
        result: &mut PreviewResult,
        rows: &mut Vec<PreviewRow>,
    ) {
        result.total += 1;
        let outcome = doc.and_then(|ev| {
            if opts.details {
                let ev = self.dialect.prepare(ev)?;
                let x = eval::explain(&self.compiled.plan, &ev);
                Ok((x.matched, x.first_failure().unwrap_or_default().to_string()))
            } else {
                self.matches_one(ev).map(|m| (m, String::new()))
            }
        });
        match outcome {
            Ok((matched, reason)) => {
                if matched {
                    result.matched += 1;
                    result.matches.push(index);
                }
                if opts.details {
                    rows.push(PreviewRow {
                        index,
                        line,
                        matched,
                        reason,
                        code: None,
                    });
                }
            }
            Err(e) => {
                if opts.details {
                    rows.push(PreviewRow {
                        index,
                        line,
                        matched: false,
                        reason: e.message.clone(),
                        code: Some(e.code()),
                    });
                }
                result.errors.push(PreviewError {
                    index,
                    line,
                    code: e.code(),
                    message: e.message,
                });
            }
        }
    }

    /// The request the vendor would send, or `None` when the event does not
    /// match. With no event: Asana's handshake (`handshake`) or a vendor's
    /// test delivery (`test`).
    pub fn deliver(
        &self,
        event: Option<&Value>,
        opts: &DeliverOptions,
    ) -> Result<Option<Delivery>, Error> {
        let Some(event) = event else {
            return delivery::build_without_event(&*self.compiled.delivery, opts).map(Some);
        };
        let Single::Event(one) = self.dialect.single_event(At::Value(event))? else {
            return Ok(None);
        };
        let ev = self.dialect.prepare(one)?;
        if !eval::matches(&self.compiled.plan, &ev) {
            return Ok(None);
        }
        let text = one.to_value().to_string();
        delivery::build(&*self.compiled.delivery, &ev, &text, opts).map(Some)
    }
}

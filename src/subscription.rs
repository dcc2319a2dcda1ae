//! A compiled subscription: parse and validate once, evaluate many times.

use crate::delivery::{self, DeliverOptions, Delivery};
use crate::dialect::{Compiled, Dialect, SpecContext};
use crate::error::{Code, Diagnostic, Error};
use crate::eval::{self, Explanation};
use crate::event::{At, Event};
use crate::preview::{self, Batch, PreviewOptions, PreviewResult, Tally};
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
    /// The same for batch documents (an array's elements projected alike).
    batch_projection: std::sync::OnceLock<Projection>,
}

/// A projection as data, with the size past which events go whole.
#[cfg_attr(hookmatch_package, optimize(size))]
pub(crate) fn export(p: &Projection, size_limit: Option<usize>) -> Value {
    let mut v = p.to_json();
    if let (Some(limit), Some(m)) = (size_limit, v.as_object_mut()) {
        m.insert(
            "wholeAbove".into(),
            crate::dialect::surely_fits_below(limit).into(),
        );
    }
    v
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
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn context(&self) -> SpecContext {
        SpecContext {
            update: self.update,
            allow_private_networks: self.allow_private_networks,
        }
    }
}

/// Check a spec; `[]` when valid. Bad specs never make this fail: an
/// undetectable dialect is reported as an `unknown_dialect` diagnostic.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn validate(spec: &Value, opts: CompileOptions) -> Vec<Diagnostic> {
    let dialect = match opts.dialect.map_or_else(|| Dialect::detect(spec), Ok) {
        Ok(d) => d,
        Err(e) => return vec![Diagnostic::error(Code::UnknownDialect, "", e.message)],
    };
    let mut diags = Vec::new();
    dialect.compile(spec, &opts.context(), &mut diags);
    diags
}

/// `validate` of JSON text: a syntax error is an `invalid_json` diagnostic.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn validate_text(spec: &[u8], opts: CompileOptions) -> Result<Vec<Diagnostic>, Error> {
    match crate::json::parse(spec, "the spec") {
        Ok(v) => Ok(validate(&v, opts)),
        Err(e) if e.kind == crate::error::Code::InvalidJson => Ok(vec![Diagnostic::syntax(&e)]),
        Err(e) => Err(e),
    }
}

impl Subscription {
    #[cfg_attr(hookmatch_package, optimize(size))]
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
                batch_projection: std::sync::OnceLock::new(),
            }),
            _ => Err(Error::from_diagnostics(diags)),
        }
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn compile_text(spec: &[u8], opts: CompileOptions) -> Result<Subscription, Error> {
        let value = crate::json::parse(spec, "the spec").map_err(|e| e.at(""))?;
        Subscription::compile(&value, opts)
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Warnings found while compiling (a spec with errors does not compile).
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub fn plan(&self) -> &crate::plan::Plan {
        &self.compiled.plan
    }

    /// Would the vendor refuse to send this event although the plan
    /// matches it (a message over its size limit)?
    pub(crate) fn refuses(&self, ev: &Event<'_>) -> bool {
        self.compiled.delivery.refuses(ev).is_some()
    }

    /// The secret its vendor tells subscriptions apart by, if any (for
    /// `set.lint()`; never shown).
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub(crate) fn distinguishing_secret(&self) -> Option<&str> {
        self.compiled.delivery.distinguishing_secret()
    }

    /// The largest message its vendor sends, when it has a limit.
    pub fn size_limit(&self) -> Option<usize> {
        self.compiled.delivery.size_limit()
    }

    /// The projection as data for the JS object walk (`objects.js`), with
    /// `wholeAbove`: the event text length past which its vendor needs the
    /// whole event to measure the message.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn projection_export(&self) -> Value {
        export(self.projection(), self.size_limit())
    }

    /// The fields of an event this subscription reads.
    pub fn projection(&self) -> &Projection {
        self.projection.get_or_init(|| {
            projection::plan::of(self.dialect.vendor().shape(), &self.compiled.plan)
        })
    }

    /// The normalized spec with secrets redacted.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn to_json(&self) -> Value {
        self.compiled.normalized.to_value(&self.compiled.plan)
    }

    pub fn matches(&self, event: &Value) -> Result<bool, Error> {
        let text = self.text_if_large(event);
        self.matches_at(At::Value(event), text.as_deref())
    }

    /// A value's JSON text where its vendor limits message sizes and the
    /// value may be large enough to matter; `None`: it is known small.
    fn text_if_large(&self, event: &Value) -> Option<String> {
        let limit = self.size_limit()?;
        let cap = crate::dialect::surely_fits_below(limit);
        (crate::value::json_len_bound(event, cap) >= cap).then(|| crate::json::text(event))
    }

    /// `doc` is the document whose JSON text is `text` (`None`: known to
    /// be small).
    fn matches_at(&self, doc: At<'_>, text: Option<&str>) -> Result<bool, Error> {
        Ok(self
            .dialect
            .open(doc, text)?
            .is_some_and(|ev| self.fires(&ev)))
    }

    /// Does the event fire the subscription: its plan passes and the
    /// vendor would deliver it?
    fn fires(&self, ev: &Event<'_>) -> bool {
        eval::matches(&self.compiled.plan, ev) && self.compiled.delivery.refuses(ev).is_none()
    }

    /// `matches` of JSON text, reading only the fields the plan needs.
    pub fn matches_text(&self, event: &[u8]) -> Result<bool, Error> {
        self.matches_str(crate::json::utf8(event, "the event")?)
    }

    /// [`Subscription::matches_text`] of text known to be UTF-8 (the
    /// binding's inbox, when it holds ASCII).
    pub fn matches_str(&self, text: &str) -> Result<bool, Error> {
        crate::json::check_size(text.len(), "the event")?;
        let node = projection::parse(text, self.projection())
            .map_err(|e| crate::json::syntax_error(&e, "the event"))?;
        self.matches_at(At::Node(&node), Some(text))
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn explain(&self, event: &Value) -> Result<Explanation, Error> {
        let text = self.text_if_large(event);
        self.explain_at(event, text.as_deref())
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn explain_at(&self, event: &Value, text: Option<&str>) -> Result<Explanation, Error> {
        Ok(match self.dialect.open(At::Value(event), text)? {
            Some(ev) => self.explain_event(&ev),
            None => eval::heartbeat(self.dialect.vendor().heartbeat()),
        })
    }

    /// The plan's explanation, with the vendor's refusal (if any) as a
    /// failing gate check.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn explain_event(&self, ev: &Event<'_>) -> Explanation {
        let mut x = eval::explain(&self.compiled.plan, ev);
        if let Some(check) = self.compiled.delivery.refuses(ev) {
            x.gate.push(check);
            x.matched = false;
        }
        x
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn explain_text(&self, event: &[u8]) -> Result<Explanation, Error> {
        let value = crate::json::parse(event, "the event")?;
        self.explain_at(&value, std::str::from_utf8(event).ok())
    }

    /// Evaluate a batch; bad events become `errors` entries.
    pub fn preview(&self, input: &[u8]) -> Result<PreviewResult, Error> {
        self.preview_with(input, PreviewOptions::default())
    }

    /// A batch read as `opts` says (chunked: [`preview::PreviewState`]).
    pub fn preview_with(&self, input: &[u8], opts: PreviewOptions) -> Result<PreviewResult, Error> {
        preview::run(self, input, opts)
    }

    /// The JSON text of event `index` of a batch, read as `preview` reads
    /// it (the playground's detail view).
    pub fn event_text_at(
        &self,
        input: &[u8],
        format: preview::Format,
        index: usize,
    ) -> Result<Option<String>, Error> {
        preview::event_text_at(input, format, index, self.batch_projection(), &self.dialect)
    }

    /// One event of a batch, already out of its envelope: matched or not
    /// (and why not, with details).
    fn preview_one(
        &self,
        event: At<'_>,
        text: Option<&str>,
        details: bool,
    ) -> Result<(bool, String), Error> {
        let ev = self.dialect.prepare(event, text)?;
        if !details {
            return Ok((self.fires(&ev), String::new()));
        }
        let x = self.explain_event(&ev);
        Ok((x.matched, x.first_failure().unwrap_or_default().to_string()))
    }

    /// The request the vendor would send, or `None` when the event does not
    /// fire the subscription. With no event: Asana's handshake
    /// (`handshake`) or heartbeat (`heartbeat`), or a vendor's test
    /// delivery (`test`).
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn deliver(
        &self,
        event: Option<&Value>,
        opts: &DeliverOptions,
    ) -> Result<Option<Delivery>, Error> {
        let text = event.map(crate::json::text);
        self.deliver_text(text.as_deref().map(str::as_bytes), opts)
    }

    /// [`Subscription::deliver`] of an event's JSON text: the body keeps its
    /// numbers as written.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn deliver_text(
        &self,
        event: Option<&[u8]>,
        opts: &DeliverOptions,
    ) -> Result<Option<Delivery>, Error> {
        let Some(bytes) = event else {
            return delivery::build_without_event(&*self.compiled.delivery, opts).map(Some);
        };
        let value = crate::json::parse(bytes, "the event")?;
        let doc_text = std::str::from_utf8(bytes).unwrap_or_default();
        let Some(ev) = self.dialect.open(At::Value(&value), Some(doc_text))? else {
            return Ok(None);
        };
        if !self.fires(&ev) {
            return Ok(None);
        }
        // The body is written from the event's own text.
        let text = ev.text.unwrap_or(doc_text);
        delivery::build(&*self.compiled.delivery, &ev, text, opts).map(Some)
    }
}

/// A subscription's preview: a row per event, the reason of its first
/// failing check with `details`.
impl preview::Batch for Subscription {
    type Tally = Tally;
    type Result = PreviewResult;

    fn tally(&self, opts: &PreviewOptions) -> Tally {
        Tally::new(opts)
    }

    fn batch_projection(&self) -> &Projection {
        self.batch_projection
            .get_or_init(|| self.projection().for_batch())
    }

    fn envelopes(&self) -> &dyn preview::Envelopes {
        &self.dialect
    }

    fn size_limit(&self) -> Option<usize> {
        self.compiled.delivery.size_limit()
    }

    fn count(
        &self,
        tally: &mut Tally,
        line: Option<usize>,
        (event, text): preview::BatchEvent<'_>,
    ) {
        let outcome = self.preview_one(event, text, tally.wants_details());
        tally.record(line, outcome);
    }

    fn result(&self, tally: Tally) -> PreviewResult {
        tally.finish()
    }
}

/// `validate`'s diagnostics, then (for a spec that compiles) the analysis
/// findings: `never_matches`, `always_passes`, `redundant_filter`,
/// `duplicate_filter` (docs/analysis.md). Never fails on a bad spec.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn lint(spec: &Value, opts: CompileOptions) -> Vec<Diagnostic> {
    // One compile: a spec that compiles has exactly its warnings as
    // `validate`'s diagnostics (an update body is checked by other rules,
    // so it is validated on its own).
    if !opts.update {
        if let Ok(sub) = Subscription::compile(spec, opts) {
            let mut diags = sub.warnings().to_vec();
            diags.extend(sub.findings());
            return diags;
        }
    }
    let mut diags = validate(spec, opts);
    if !diags.iter().any(Diagnostic::is_error) {
        if let Ok(sub) = Subscription::compile(spec, opts) {
            diags.extend(sub.findings());
        }
    }
    diags
}

/// `lint` of JSON text: a syntax error is an `invalid_json` diagnostic.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn lint_text(spec: &[u8], opts: CompileOptions) -> Result<Vec<Diagnostic>, Error> {
    match crate::json::parse(spec, "the spec") {
        Ok(v) => Ok(lint(&v, opts)),
        Err(e) if e.kind == crate::error::Code::InvalidJson => Ok(vec![Diagnostic::syntax(&e)]),
        Err(e) => Err(e),
    }
}

/// How an edit changes what a subscription fires for.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Diff {
    #[cfg_attr(
        test,
        ts(
            type = "\"equivalent\" | \"narrower\" | \"wider\" | \"overlapping\" | \"disjoint\" | \"unknown\""
        )
    )]
    pub relation: &'static str,
    /// Events `after` fires for and `before` does not (each checked).
    #[cfg_attr(test, ts(type = "Record<string, unknown>[]"))]
    pub gained: Vec<Value>,
    /// Events `before` fires for and `after` does not (each checked).
    #[cfg_attr(test, ts(type = "Record<string, unknown>[]"))]
    pub lost: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub events: Option<DiffEvents>,
}

/// A diff over a batch of events.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DiffEvents {
    pub gained: Vec<usize>,
    pub lost: Vec<usize>,
    pub both: usize,
    pub neither: usize,
    pub errors: Vec<crate::preview::PreviewError>,
}

/// `diff(before, after)`: the relation between what two specs fire for,
/// with checked witnesses, and with `events` the batch's indices each side
/// gains and loses. An invalid spec throws its compile error with the path
/// under `/before` or `/after`.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn diff(
    before: &Value,
    after: &Value,
    opts: CompileOptions,
    events: Option<&[u8]>,
) -> Result<Diff, Error> {
    let events = events.map(|e| (e, preview::Format::Auto));
    diff_batch(before, after, opts, events)
}

/// [`diff`] with the batch's format (`Json` for a JS array, as `preview`
/// reads one).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn diff_batch(
    before: &Value,
    after: &Value,
    opts: CompileOptions,
    events: Option<(&[u8], preview::Format)>,
) -> Result<Diff, Error> {
    let compile =
        |spec: &Value, side: &str| Subscription::compile(spec, opts).map_err(|e| e.under(side));
    let (a, b) = (compile(before, "/before")?, compile(after, "/after")?);
    if a.dialect != b.dialect {
        return Err(Error::new(
            Code::InvalidInput,
            format!(
                "before is a {} spec and after a {} one: diff compares two specs of one dialect",
                a.dialect.name(),
                b.dialect.name()
            ),
        )
        .at("/after"));
    }
    let found = crate::analysis::diff(a.plan(), b.plan(), a.dialect.vendor().shape(), &mut |e| {
        (a.matches(e).unwrap_or(false), b.matches(e).unwrap_or(false))
    });
    let relation = found.relation;
    let events = match events {
        None => None,
        Some((input, format)) => {
            // Every error is kept: `neither` is counted from them.
            let read = PreviewOptions::keep_all(format);
            let pa = a.preview_with(input, read)?;
            let pb = b.preview_with(input, read)?;
            // Indices are ascending: membership by binary search.
            let has = |list: &[usize], i: &usize| list.binary_search(i).is_ok();
            let (ma, mb) = (&pa.matches, &pb.matches);
            let mut bad: Vec<usize> = pb.errors.iter().map(|e| e.index).collect();
            bad.sort_unstable();
            Some(DiffEvents {
                gained: mb.iter().copied().filter(|i| !has(ma, i)).collect(),
                lost: ma.iter().copied().filter(|i| !has(mb, i)).collect(),
                both: ma.iter().filter(|i| has(mb, i)).count(),
                neither: (0..pb.total)
                    .filter(|i| !has(ma, i) && !has(mb, i) && !has(&bad, i))
                    .count(),
                errors: pb.errors,
            })
        }
    };
    Ok(Diff {
        relation,
        gained: found.gained.into_iter().collect(),
        lost: found.lost.into_iter().collect(),
        events,
    })
}

impl Subscription {
    /// The analysis findings of this subscription (no validation
    /// diagnostics: it compiled).
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn findings(&self) -> Vec<Diagnostic> {
        crate::analysis::lint(
            self.plan(),
            self.dialect.vendor().shape(),
            &self.to_json(),
            &mut |e| self.matches(e).unwrap_or(false),
        )
    }

    /// `sub.example`: the smallest event that fires; with `fail`, one that
    /// fails that filter (a top-level index or a pointer such as
    /// `/filters/2/filters/0`) and passes the gate; with `base`, the event
    /// with the fewest fields changed from `base` that qualifies. `None`
    /// when there is none. Every event returned has been checked.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn example(
        &self,
        fail: Option<&Value>,
        base: Option<&Value>,
    ) -> Result<Option<Value>, Error> {
        let target = match fail {
            None => None,
            Some(f) => Some(crate::analysis::target(self.plan(), &self.to_json(), f).ok_or_else(|| {
                Error::new(
                    Code::InvalidInput,
                    format!(
                        "fail must be the index of a top-level filter (0 to {}) or a pointer such as \"/filters/0\" that names a filter of this spec, got {}",
                        self.plan().entries.len().saturating_sub(1),
                        crate::json::text(f)
                    ),
                )
                .at("/fail")
            })?),
        };
        let location = target.as_ref().map(|t| t.location(self.plan()));
        Ok(crate::analysis::example(
            self.plan(),
            self.dialect.vendor().shape(),
            target,
            base,
            &mut |e| {
                let Some((entry, inner)) = location else {
                    return self.matches(e).unwrap_or(false);
                };
                // It passes the gate and fails the named filter.
                let Ok(x) = self.explain(e) else { return false };
                let check = x.filters.get(entry);
                let check = match inner {
                    None => check,
                    Some(j) => check.and_then(|c| c.filters.as_ref()?.get(j)),
                };
                x.gate.iter().all(|c| c.passed) && check.is_some_and(|c| !c.passed)
            },
        ))
    }
}

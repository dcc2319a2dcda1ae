//! A member's delivery defaults (its entry's `deliver`) and `set.deliver`:
//! each member that fires delivers as its own `deliver` would, with its
//! defaults under the call's options. Apart from matching, which never
//! reads a member's secrets.

use super::SubscriptionSet;
use crate::delivery::{DeliverOptions, Delivery};
use crate::error::Error;
use crate::options::{DeliverOptionsIn, Options};
use serde::Serialize;
use serde_json::{Map, Value};

/// A member's delivery defaults (its entry's `deliver`: `secret`,
/// `subscriptionId`, …), kept as the options object it was given and checked
/// as `deliver` checks its options. `set.deliver` lays the call's options
/// over it key by key, as `{ ...member.deliver, ...opts }` does in JS.
/// It may hold a secret: its `Debug` names the keys only, and nothing the
/// set reports (errors, lint, explanations, ids) reads it.
#[derive(Clone, Default, PartialEq)]
pub struct DeliverDefaults(Map<String, Value>);

impl std::fmt::Debug for DeliverDefaults {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DeliverDefaults")
            .field(&self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Options for DeliverDefaults {
    const KEYS: &'static [&'static str] = DeliverOptionsIn::KEYS;
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn read(o: &crate::options::Object<'_>) -> Result<Self, Error> {
        DeliverOptionsIn::read(o)?;
        Ok(DeliverDefaults(o.map().clone()))
    }
}

impl DeliverDefaults {
    /// The object as given (keys `deliver` takes, checked as it checks them).
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn from_value(v: &Value) -> Result<DeliverDefaults, Error> {
        crate::options::from_value(v, "deliver options")
    }

    /// A key given as `undefined` in JS: it overrides a member's default
    /// with "absent", as in `{ ...member.deliver, ...opts }`.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn unset(&mut self, key: &str) {
        if Self::KEYS.contains(&key) {
            self.0.insert(key.to_string(), Value::Null);
        }
    }

    /// These defaults with `over`'s keys laid over them (a `null` there
    /// drops the default), read as `deliver` reads its options.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn under(&self, over: &DeliverDefaults) -> Result<DeliverOptions, Error> {
        if over.0.is_empty() {
            return Ok(crate::options::from_value::<DeliverOptionsIn>(
                &Value::Object(self.0.clone()),
                "deliver options",
            )?
            .0);
        }
        let mut merged = self.0.clone();
        for (k, v) in &over.0 {
            merged.insert(k.clone(), v.clone());
        }
        Ok(crate::options::from_value::<DeliverOptionsIn>(
            &Value::Object(merged),
            "deliver options",
        )?
        .0)
    }
}

/// One delivery of `set.deliver`: the member's id and what its `deliver` returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetDelivery {
    pub id: String,
    pub delivery: Delivery,
}

impl SubscriptionSet {
    /// `set.deliver`: for each member that fires, in insertion order, what
    /// its own `deliver` returns for this event with its defaults under
    /// `opts` (`{ ...member.deliver, ...opts }`); a member whose vendor
    /// refuses the message (Workfront's size limit) has no delivery and is
    /// left out. `now_ms` and `random` are the caller's clock and entropy,
    /// as `deliver` takes them; each member draws its own bytes from
    /// `random` (keyed by its id), as its own call would draw fresh ones.
    /// A member's `deliver` that fails fails the call, naming the member.
    pub fn deliver_text(
        &self,
        event: &[u8],
        opts: &DeliverDefaults,
        now_ms: Option<f64>,
        random: Option<[u8; 32]>,
    ) -> Result<Vec<SetDelivery>, Error> {
        let positions = self.match_positions(event)?;
        let mut out = Vec::with_capacity(positions.len());
        for pos in positions {
            let Some(Some(m)) = self.members.get(pos) else {
                continue;
            };
            let in_member = |mut e: Error| {
                e.message = format!("member {}: {}", crate::text::quote_short(&m.id), e.message);
                e
            };
            let mut o = m.defaults.under(opts).map_err(in_member)?;
            o.now_ms = now_ms;
            o.random = random.map(|r| crate::signing::hmac_sha256(&r, &[m.id.as_bytes()]));
            if let Some(delivery) = m.sub.deliver_text(Some(event), &o).map_err(in_member)? {
                out.push(SetDelivery {
                    id: m.id.clone(),
                    delivery,
                });
            }
        }
        Ok(out)
    }
}

//! Shared by the integration tests: a small deterministic generator
//! (xorshift64*), so a failure reproduces from its seed, and the checks the
//! case-file suites (fixtures, conformance) both make.
#![allow(dead_code)] // each test uses the part it needs

use hookmatch::Diagnostic;
use libtest_mimic::Failed;
use serde_json::Value;

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A case's check: `Ok` when `ok`, else the failure `message()` says.
pub fn ensure(ok: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(message().into())
    }
}

/// `validate`'s diagnostics against a case's `[severity, code, path]`
/// triples (in any order) and, when the case gives one, a text one of
/// their messages contains.
pub fn same_diagnostics(
    diags: &[Diagnostic],
    want: &[Value],
    message: Option<&str>,
) -> Result<(), Failed> {
    let mut got: Vec<(String, String, String)> = diags
        .iter()
        .map(|d| {
            (
                format!("{:?}", d.severity).to_lowercase(),
                d.code.to_string(),
                d.path.clone(),
            )
        })
        .collect();
    let mut want: Vec<(String, String, String)> = want
        .iter()
        .map(|d| {
            (
                d[0].as_str().unwrap().into(),
                d[1].as_str().unwrap().into(),
                d[2].as_str().unwrap().into(),
            )
        })
        .collect();
    got.sort();
    want.sort();
    ensure(got == want, || {
        format!("diagnostics {got:?}, want {want:?}")
    })?;
    if let Some(msg) = message {
        ensure(diags.iter().any(|d| d.message.contains(msg)), || {
            format!("no diagnostic says {msg:?}: {diags:#?}")
        })?;
    }
    Ok(())
}

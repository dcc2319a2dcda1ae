//! `json::float::parse` answers as core's `str::parse::<f64>` (correctly
//! rounded, ties to even) on numbers of this file's own making: random
//! spellings, every double's shortest and exact decimal forms, and the
//! exact midpoints between neighbouring doubles with a hair above and
//! below, built by decimal string arithmetic here, apart from the code
//! under test.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::Rng;
use hookmatch::json::float;

fn agree(text: &str) -> Result<(), String> {
    let want: f64 = text
        .parse()
        .map_err(|e| format!("core refuses {text:?}: {e}"))?;
    let got = float::parse(text.as_bytes());
    if want.to_bits() == got.to_bits() {
        Ok(())
    } else {
        Err(format!("{text:?}: core {want:e}, hookmatch {got:e}"))
    }
}

fn check_all(cases: impl IntoIterator<Item = String>) {
    let failures: Vec<String> = cases.into_iter().filter_map(|c| agree(&c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} disagreements, first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A random double: any bit pattern that is finite.
fn double(r: &mut Rng) -> f64 {
    loop {
        let d = f64::from_bits(r.next());
        if d.is_finite() {
            return d.abs();
        }
    }
}

/// The exact decimal expansion of a finite double: Rust prints every digit
/// when asked for enough of them (a double has at most 767 significant).
fn exact(d: f64) -> String {
    format!("{d:.1100e}")
}

/// (mantissa digits, exponent) of a `{:e}` string, trailing zeros kept.
fn split(e: &str) -> (Vec<u8>, i64) {
    let (m, x) = e.split_once('e').unwrap();
    let digits: Vec<u8> = m
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    (digits, x.parse().unwrap())
}

/// The midpoint of two positive doubles, exactly, in decimal: both exact
/// expansions aligned, added digit by digit, halved.
fn midpoint(a: f64, b: f64) -> String {
    let (da, xa) = split(&exact(a));
    let (db, xb) = split(&exact(b));
    // value = 0.d1d2… × 10^(x+1); align to the larger exponent.
    let top = xa.max(xb) + 1;
    let width = 1300;
    let place = |d: &[u8], x: i64| {
        let mut v = vec![0u8; width];
        let offset = (top - (x + 1)) as usize;
        for (i, digit) in d.iter().enumerate() {
            if offset + i < width {
                v[offset + i] = *digit;
            }
        }
        v
    };
    let (va, vb) = (place(&da, xa), place(&db, xb));
    // Sum with one extra leading place for the carry.
    let mut sum = vec![0u8; width + 1];
    let mut carry = 0;
    for i in (0..width).rev() {
        let s = va[i] + vb[i] + carry;
        sum[i + 1] = s % 10;
        carry = s / 10;
    }
    sum[0] = carry;
    // Halve, with one more digit for the last odd one.
    sum.push(0);
    let mut half = Vec::with_capacity(sum.len());
    let mut rem = 0;
    for d in sum {
        let cur = rem * 10 + d;
        half.push(cur / 2);
        rem = cur % 2;
    }
    // half = 0.h0h1h2… × 10^(top+1)
    let digits: String = half.iter().map(|d| char::from(b'0' + d)).collect();
    let trimmed = digits.trim_end_matches('0');
    format!("0.{trimmed}e{}", top + 1)
}

#[test]
fn random_spellings_round_as_core_rounds_them() {
    let mut r = Rng(0x00f1_0a7e_5eed_0001);
    let mut cases = Vec::new();
    for _ in 0..200_000 {
        let mut s = String::new();
        if r.chance(20) {
            s.push('-');
        }
        let int_len = if r.chance(15) { 0 } else { 1 + r.below(25) };
        if int_len == 0 {
            s.push('0');
        } else {
            s.push(char::from(b'1' + r.below(9) as u8));
            for _ in 1..int_len {
                s.push(char::from(b'0' + r.below(10) as u8));
            }
        }
        if r.chance(60) {
            s.push('.');
            let zeros = if r.chance(20) { r.below(330) } else { 0 };
            for _ in 0..zeros {
                s.push('0');
            }
            for _ in 0..1 + r.below(30) {
                s.push(char::from(b'0' + r.below(10) as u8));
            }
        }
        if r.chance(60) {
            s.push(*r.pick(&['e', 'E']));
            if r.chance(50) {
                s.push(*r.pick(&['-', '+']));
            }
            let most = *r.pick(&[10, 30, 330, 400]);
            s.push_str(&r.below(most).to_string());
        }
        cases.push(s);
    }
    check_all(cases);
}

#[test]
fn every_doubles_shortest_and_exact_forms_read_back() {
    let mut r = Rng(0x00f1_0a7e_5eed_0002);
    let mut cases = Vec::new();
    for _ in 0..20_000 {
        let d = double(&mut r);
        cases.push(format!("{d:e}"));
        cases.push(format!("{d}"));
        cases.push(format!("{d:.17e}"));
        cases.push(format!("{d:.25e}"));
        cases.push(exact(d));
    }
    check_all(cases);
}

/// Ties: the exact midpoint rounds to the even neighbour; a hair above or
/// below it decides. Past 800 digits the hair is only a sticky digit.
#[test]
fn midpoints_between_neighbours_round_to_even_and_a_hair_decides() {
    let mut r = Rng(0x00f1_0a7e_5eed_0003);
    let mut cases = Vec::new();
    let mut doubles: Vec<f64> = (0..3_000).map(|_| double(&mut r)).collect();
    // The edges: the subnormals, the smallest normal, one, the largest.
    doubles.extend([
        0.0,
        f64::from_bits(1),
        f64::from_bits(2),
        f64::from_bits((1 << 52) - 1),
        f64::MIN_POSITIVE,
        1.0,
        9007199254740992.0,
        f64::MAX,
    ]);
    for d in doubles {
        let up = f64::from_bits(d.to_bits() + 1);
        let m = if up.is_finite() {
            midpoint(d, up)
        } else {
            // The largest: its own value, and hairs above it.
            midpoint(d, d)
        };
        let (mantissa, exponent) = m.split_once('e').unwrap();
        cases.push(m.clone());
        cases.push(format!("{mantissa}1e{exponent}"));
        cases.push(format!("{mantissa}00000000000000000000001e{exponent}"));
        // Below: the mantissa's last digit down by one, then nines.
        let mut below: Vec<u8> = mantissa.bytes().collect();
        if let Some(last) = below.iter().rposition(|b| b.is_ascii_digit() && *b != b'0') {
            below[last] -= 1;
            let mut s = String::from_utf8(below).unwrap();
            s.push_str("999999999");
            cases.push(format!("{s}e{exponent}"));
        }
        // Past the 800 kept digits: a hair far out, or only zeros (still
        // the tie itself).
        cases.push(format!("{mantissa}{}1e{exponent}", "0".repeat(900)));
        cases.push(format!("{mantissa}{}e{exponent}", "0".repeat(900)));
    }
    check_all(cases);
}

#[test]
fn a_table_of_edges_rounds_as_core_rounds_it() {
    let mut cases: Vec<String> = [
        "0",
        "-0",
        "0.0",
        "0e0",
        "1",
        "-1",
        "1e22",
        "1e23",
        "9007199254740993",
        "9007199254740992.5",
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "2.2250738585072014e-308",
        "4.9e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "1e309",
        "9.99e308",
        "1e308",
        "9.9e-325",
        "2.4e-324",
        "2.5e-324",
        "3e-324",
        "1e-400",
        "1e-325",
        "1e-324",
        "7e-324",
        "123456789012345678901234567890",
        "0.1",
        "0.2",
        "0.3",
        "1e-7",
        "123.456e-789",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203126",
        "1.00000000000000011102230246251565404236316680908203124",
        "1e15",
        "1e16",
        "12345678901234567890",
        "1234567890123456789e10",
        "0.000000000000000000000000000001",
        "1e99999999999",
        "1e-99999999999",
        "0e99999999999",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Long runs of digits: more than 800 significant, with leading zeros.
    cases.push(format!("0.{}1", "0".repeat(320)));
    cases.push(format!("1{}", "0".repeat(308)));
    cases.push(format!("1{}", "0".repeat(309)));
    cases.push(format!("{}e-1000", "9".repeat(1000)));
    cases.push(format!("{}.{}", "1".repeat(400), "7".repeat(2000)));
    check_all(cases);
}

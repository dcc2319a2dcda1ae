//! Decimal text to the nearest `f64`, correctly rounded (ties to even),
//! without core's table of powers of five.
//!
//! Why not `str::parse::<f64>`: core's parser (Eisel–Lemire) carries a
//! table of 651 128-bit powers of five, 10,416 bytes that do not compress
//! (10,141 gzipped), in a module a matching page downloads. Numbers in
//! events and specs are short: nearly all take the exact fast path below
//! (Clinger's: at most 15 significant digits and a power of ten that is
//! itself an `f64`, so one IEEE operation rounds once). The rest are
//! computed exactly with a small big integer: the value as a fraction
//! `n / m × 2^e`, a quotient of 54 bits and a remainder that decides the
//! rounding. That path is slower (a few microseconds for hundreds of
//! digits) and rare; `tests/json_float.rs` holds every answer to core's
//! parser, near ties, subnormals and the edges of the range included.
//!
//! Bounded: digits past the 800th only set a sticky digit. A value halfway
//! between two doubles, or a double itself, has at most 767 significant
//! digits, so the first 800 digits followed by anything that is not all
//! zeros lie strictly between the same two such values as the number
//! itself, and round the same. So a 10 MB number costs one pass over its
//! text and arithmetic on at most 801 digits.

/// Powers of ten that are exact as `f64` (10^22 is the last).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Significant digits kept for the exact path; see the module's note.
const MAX_DIGITS: usize = 800;

/// The `f64` nearest to a number in JSON's syntax (`-?digits(.digits)?
/// ([eE][+-]?digits)?`): infinite past the largest `f64`, as core's parser
/// answers. Any other byte is passed over, never a panic.
pub fn parse(text: &[u8]) -> f64 {
    let (negative, body) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let magnitude = magnitude(body);
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

fn magnitude(body: &[u8]) -> f64 {
    // One plain pass (an iterator chain here was 5.8 KB of vectorized wasm):
    // the significant digits' count, the first 19 as an integer, and how
    // many follow the point.
    let mut n: usize = 0;
    let mut w: u64 = 0;
    let mut frac_digits: usize = 0;
    let mut in_frac = false;
    let mut end = body.len();
    for (i, &c) in body.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                frac_digits += usize::from(in_frac);
                if n > 0 || c != b'0' {
                    if n < 19 {
                        w = w * 10 + u64::from(c - b'0');
                    }
                    n += 1;
                }
            }
            b'.' => in_frac = true,
            b'e' | b'E' => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let mantissa = &body[..end];
    // The value is D × 10^q, D the digits of both parts as one integer.
    let q = read_exponent(body.get(end + 1..).unwrap_or_default()) - frac_digits as i64;
    if n == 0 {
        return 0.0;
    }
    // The decimal exponent of the leading digit, and the exact edges:
    // from 10^309 on nothing is finite (the largest f64 is 1.79…e308), and
    // below 10^-324 everything rounds to zero (half the smallest
    // subnormal is 2.47…e-324).
    let lead = n as i64 - 1 + q;
    if lead >= 309 {
        return f64::INFINITY;
    }
    if lead <= -325 {
        return 0.0;
    }
    match fast(w, n, q) {
        Some(f) => f,
        None => exact(mantissa, q),
    }
}

/// Clinger's fast path: D (n significant digits, the first 19 of them in
/// `w`) × 10^q when that is one exact IEEE operation on exact operands,
/// so rounded once, correctly; `None` otherwise.
fn fast(w: u64, n: usize, q: i64) -> Option<f64> {
    // Also refuses every D of more than 16 digits: w then holds at least
    // 17 of them, and 10^16 > 2^53.
    if w > 1 << 53 {
        return None;
    }
    // D is exact as an f64; so is 10^|q| up to 22.
    if (0..=22).contains(&q) {
        return Some(w as f64 * POW10[q as usize]);
    }
    if (-22..0).contains(&q) {
        return Some(w as f64 / POW10[(-q) as usize]);
    }
    // A few more zeros still leave D × 10^(q-22) an exact integer below 10^15.
    if q > 22 && n as i64 + (q - 22) <= 15 {
        let scaled = w * 10u64.pow((q - 22) as u32);
        return Some(scaled as f64 * POW10[22]);
    }
    None
}

/// The exponent's value, saturated far beyond any that can matter.
fn read_exponent(text: &[u8]) -> i64 {
    const FAR: i64 = 1 << 40;
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let mut e: i64 = 0;
    for &d in digits {
        if d.is_ascii_digit() {
            e = (e * 10 + i64::from(d - b'0')).min(FAR);
        }
    }
    if negative {
        -e
    } else {
        e
    }
}

/// The slow path: D × 10^q as the fraction n / m × 2^q (10^q = 5^q × 2^q),
/// divided to 54 bits at the binary exponent the result has.
#[inline(never)]
fn exact(mantissa: &[u8], mut q: i64) -> f64 {
    let mut digits: Vec<u8> = Vec::with_capacity(MAX_DIGITS + 1);
    let mut dropped_nonzero = false;
    for d in mantissa.iter().filter(|d| d.is_ascii_digit()) {
        if digits.is_empty() && *d == b'0' {
            continue;
        }
        if digits.len() < MAX_DIGITS {
            digits.push(d - b'0');
        } else {
            q += 1;
            dropped_nonzero |= *d != b'0';
        }
    }
    if dropped_nonzero {
        digits.push(1);
        q -= 1;
    }
    let mut n = Big::from_digits(&digits);
    let mut m = Big::from_digits(&[1]);
    // |q| is bounded by the leading digit's exponent check and 801 digits.
    let fives = u32::try_from(q.unsigned_abs()).unwrap_or(u32::MAX);
    if q >= 0 {
        n.mul_pow5(fives);
    } else {
        m.mul_pow5(fives);
    }
    // floor(log2(n / m)): the bit lengths' difference, or one less.
    let k = n.bits() as i64 - m.bits() as i64;
    let lg = if shifted_at_least(&n, &m, k) {
        k
    } else {
        k - 1
    };
    let top = lg + q;
    if top > 1023 {
        return f64::INFINITY;
    }
    // The binary exponent of the last mantissa bit: 52 below the top one,
    // or the subnormals' fixed one.
    let mut e = (top - 52).max(-1074);
    let shift = q - e;
    if shift >= 0 {
        n.shl(shift as usize);
    } else {
        m.shl((-shift) as usize);
    }
    // n / m < 2^53 now: its 54 bits by long division.
    let mut t = m.clone();
    t.shl(54);
    let mut mantissa: u64 = 0;
    for bit in (0..=54).rev() {
        if n.cmp(&t).is_ge() {
            n.sub(&t);
            mantissa |= 1 << bit;
        }
        t.shr1();
    }
    // The remainder against half the divisor: round half to even.
    n.shl(1);
    match n.cmp(&m) {
        std::cmp::Ordering::Greater => mantissa += 1,
        std::cmp::Ordering::Equal => mantissa += mantissa & 1,
        std::cmp::Ordering::Less => {}
    }
    if mantissa == 1 << 53 {
        mantissa = 1 << 52;
        e += 1;
    }
    if e > 971 {
        return f64::INFINITY;
    }
    let bits = if mantissa >= 1 << 52 {
        (((e + 1075) as u64) << 52) | (mantissa & ((1 << 52) - 1))
    } else {
        mantissa
    };
    f64::from_bits(bits)
}

/// Is n ≥ m × 2^k?
#[inline(never)]
fn shifted_at_least(n: &Big, m: &Big, k: i64) -> bool {
    if k >= 0 {
        let mut t = m.clone();
        t.shl(k as usize);
        n.cmp(&t).is_ge()
    } else {
        let mut t = n.clone();
        t.shl((-k) as usize);
        t.cmp(m).is_ge()
    }
}

/// A non-negative integer, 32-bit limbs, least significant first, no high
/// zero limbs. Its methods are built out of line: only the rare exact path
/// uses them, and inlined they were 3 KB more of the module.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    #[inline(never)]
    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(Vec::new());
        for chunk in digits.chunks(9) {
            let mut value = 0u32;
            let mut scale = 1u32;
            for d in chunk {
                value = value * 10 + u32::from(*d);
                scale *= 10;
            }
            b.mul_add(scale, value);
        }
        b
    }

    #[inline(never)]
    fn mul_add(&mut self, mul: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let t = u64::from(*limb) * u64::from(mul) + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    #[inline(never)]
    fn mul_pow5(&mut self, mut k: u32) {
        const FIVE_13: u32 = 1_220_703_125;
        while k >= 13 {
            self.mul_add(FIVE_13, 0);
            k -= 13;
        }
        if k > 0 {
            self.mul_add(5u32.pow(k), 0);
        }
    }

    #[inline(never)]
    fn bits(&self) -> u64 {
        match self.0.last() {
            Some(top) => self.0.len() as u64 * 32 - u64::from(top.leading_zeros()),
            None => 0,
        }
    }

    #[inline(never)]
    fn shl(&mut self, n: usize) {
        let (limbs, bits) = (n / 32, n % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let next = *limb >> (32 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if limbs > 0 && !self.0.is_empty() {
            self.0.splice(0..0, std::iter::repeat_n(0, limbs));
        }
    }

    #[inline(never)]
    fn shr1(&mut self) {
        let mut carry = 0u32;
        for limb in self.0.iter_mut().rev() {
            let next = *limb & 1;
            *limb = (*limb >> 1) | (carry << 31);
            carry = next;
        }
        self.trim();
    }

    #[inline(never)]
    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// self -= other, where self ≥ other.
    #[inline(never)]
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let t = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(t < 0);
            *limb = t.rem_euclid(1 << 32) as u32;
        }
        self.trim();
    }

    #[inline(never)]
    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers events and specs hold take the fast path (one IEEE
    /// operation, not the big-integer division), and its answer is core's.
    /// Every answer is held to core's in `tests/json_float.rs`; this holds
    /// the path, which an answer alone cannot show.
    #[test]
    fn short_numbers_take_the_fast_path() {
        // (w, n, q) of: 12.5, 0.001, 3.14159, 1e3, 123456789012345,
        // 9007199254740992, 4.2e-21, 7e30, 1e36 (15 digits after scaling).
        let fast_ones: [(u64, usize, i64, &str); 10] = [
            (125, 3, -1, "12.5"),
            (1, 1, -3, "0.001"),
            (314159, 6, -5, "3.14159"),
            (1, 1, 3, "1e3"),
            (123456789012345, 15, 0, "123456789012345"),
            (9007199254740992, 16, 0, "9007199254740992"),
            (42, 2, -22, "4.2e-21"),
            (7, 1, 30, "7e30"),
            (1, 1, 36, "1e36"),
            (12, 2, 35, "12e35"),
        ];
        for (w, n, q, text) in fast_ones {
            let want: f64 = text.parse().unwrap();
            assert_eq!(
                fast(w, n, q).map(f64::to_bits),
                Some(want.to_bits()),
                "{text}"
            );
        }
        // Past what one exact operation can do: a mantissa above 2^53,
        // more than 19 digits, a power of ten past 10^22 that scaling
        // cannot absorb.
        for (w, n, q) in [
            ((1 << 53) + 1, 16, 0),
            (1_234_567_890_123_456_789, 20, 0),
            (1, 1, -23),
            (12345678901234, 14, 25),
            (1, 1, 38),
        ] {
            assert_eq!(fast(w, n, q), None, "{w} {n} {q}");
        }
    }
}

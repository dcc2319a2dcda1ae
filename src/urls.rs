//! Absolute http(s) URL checks for webhook targets. A small hand-written
//! check instead of the `url` crate: we only need "would the vendor accept
//! this as a target", and `url` with its IDNA tables would more than double
//! the size of the `.wasm`.

/// What a URL's parts are, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    pub https: bool,
    pub host: &'a str,
    pub port: Option<u16>,
    /// Everything after the authority: path, query and fragment.
    pub rest: &'a str,
}

/// Check that `s` is an absolute `http://` or `https://` URL with a host.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn parse_http_url(s: &str) -> Result<HttpUrl<'_>, String> {
    if s.is_empty() {
        return Err("the URL is empty".into());
    }
    // Bytes first: for ASCII, whitespace or control is exactly <= 0x20 or
    // DEL; chars (and their Unicode tables) only when something is beyond.
    if !s.bytes().all(|b| b > 0x20 && b < 0x7f) {
        if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("a URL cannot contain {}", describe(c)));
        }
    }
    let (https, after) = if let Some(rest) = strip_prefix_ci(s, "https://") {
        (true, rest)
    } else if let Some(rest) = strip_prefix_ci(s, "http://") {
        (false, rest)
    } else {
        return Err("the URL must be absolute and start with http:// or https://".into());
    };
    let end = after
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    let hostport = match authority.rfind('@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    };
    let (host, port) = split_port(hostport)?;
    if host.is_empty() {
        return Err("the URL has no host".into());
    }
    if host.starts_with('[') {
        let inner = host.trim_start_matches('[').trim_end_matches(']');
        if !host.ends_with(']')
            || inner.is_empty()
            || !inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(format!("the host {host} is not a valid IPv6 address"));
        }
    } else {
        // Bytes: '.' and '-' are ASCII, so splitting bytes splits characters
        // (and `str::split` set up a searcher per label).
        for label in host.trim_end_matches('.').as_bytes().split(|b| *b == b'.') {
            if label.is_empty() {
                return Err(format!("the host {host} has an empty label"));
            }
            if label.first() == Some(&b'-') || label.last() == Some(&b'-') {
                return Err(format!(
                    "the host label {} cannot start or end with \"-\"",
                    String::from_utf8_lossy(label)
                ));
            }
            let plain =
                |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_' || !b.is_ascii();
            if label.iter().all(plain) {
                continue;
            }
            let label = String::from_utf8_lossy(label);
            if let Some(c) = label
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || !c.is_ascii()))
            {
                return Err(format!("the host {host} contains {}", describe(c)));
            }
        }
    }
    Ok(HttpUrl {
        https,
        host,
        port,
        rest,
    })
}

/// The host a WHATWG URL parser (fetch, browsers, Node's `URL`) reads from
/// an http(s) URL. It differs from [`parse_http_url`] (and from PHP's
/// `parse_url` and curl) in one way that moves the host: for http(s) a
/// backslash ends the authority like a slash, so in
/// `http://127.0.0.1\@evil.example/` fetch's host is `127.0.0.1` where
/// curl's is `evil.example`. `None` for a URL that is not http(s).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn whatwg_host(s: &str) -> Option<&str> {
    let after = strip_prefix_ci(s, "https://").or_else(|| strip_prefix_ci(s, "http://"))?;
    let end = after
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#' | b'\\'))
        .unwrap_or(after.len());
    let authority = &after[..end];
    let hostport = match authority.rfind('@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    };
    split_port(hostport).ok().map(|(host, _)| host)
}

/// A host as IDNA (UTS #46) mapping leaves it, for the characters that can
/// turn a host into an IP literal or `localhost`: fullwidth ASCII forms
/// (U+FF01 to U+FF5E, so `１２７` is `127`) and the ideographic full stops
/// (U+3002, U+FF61) become ASCII, and ASCII letters lower case. curl (with
/// libidn2) and the WHATWG URL parser both map them; other non-ASCII
/// characters are left as they are (full NFKC tables would double the
/// size of the `.wasm`), so a host still non-ASCII afterwards is a name.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn fold_host(host: &str) -> String {
    host.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3002}' | '\u{FF61}' => '.',
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// An IPv4 address in every form `inet_aton` reads, as do curl's URL
/// parser and the WHATWG URL parser: one to four parts, each decimal, octal
/// (a leading `0`) or hex (`0x`), the last filling the remaining bytes
/// (`127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn ipv4_number_forms(s: &str) -> Option<u32> {
    let mut nums = [0u64; 4];
    let mut count = 0;
    for p in s.split('.') {
        if count == 4 {
            return None;
        }
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X"))
        {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (p, 10)
        };
        if digits.is_empty() && radix != 16 {
            return None;
        }
        // from_str_radix takes a sign; inet_aton does not.
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        nums[count] = if digits.is_empty() {
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        count += 1;
    }
    let (last, init) = nums[..count].split_last()?;
    if init.iter().any(|n| *n > 255) {
        return None;
    }
    // The last part fills the bytes the others leave: 32, 24, 16 or 8 bits.
    let last_bits = 8 * (5 - count as u32);
    if *last >= 1u64 << last_bits {
        return None;
    }
    let mut ip: u64 = 0;
    for (i, n) in init.iter().enumerate() {
        ip |= n << (24 - 8 * i as u32);
    }
    u32::try_from(ip | last).ok()
}

/// Where curl (the HTTP client of Kanboard, and of most senders) or fetch
/// (WHATWG URL rules) sends a URL whose host is a private or loopback
/// address, said for a warning: the vendors' own checks, where they have
/// one, read hosts more narrowly (Kanboard's misses `http://１２７.０.０.１/`,
/// Asana's `127.1`). curl 7.88 and Node 20's `URL` were run over the same
/// URLs as Kanboard's check (docs/vendors/kanboard.md).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn reaches_private(url: &str, host: &str) -> Option<String> {
    // curl: the same authority as PHP's; its URL parser reads every
    // inet_aton form (hex too), maps fullwidth forms through libidn2, and
    // answers `localhost` and `*.localhost` itself with 127.0.0.1 and ::1.
    let curl = private_address(&fold_host(host), false);
    // fetch: a backslash ends the authority; its IPv4 parser also drops
    // one trailing dot; browsers send `localhost.` and `*.localhost` to
    // loopback (RFC 6761 section 6.3).
    let fetch = whatwg_host(url).and_then(|h| private_address(&fold_host(h), true));
    match (curl, fetch) {
        (Some(c), Some(f)) if c == f => Some(format!("curl and fetch send it to {c}")),
        (Some(c), Some(f)) => Some(format!("curl sends it to {c} and fetch to {f}")),
        (Some(c), None) => Some(format!("curl sends it to {c}")),
        (None, Some(f)) => Some(format!("fetch sends it to {f}")),
        (None, None) => None,
    }
}

/// The private address a folded host connects to, and its range.
#[cfg_attr(hookmatch_package, optimize(size))]
fn private_address(host: &str, whatwg: bool) -> Option<String> {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip: std::net::Ipv6Addr = inner.parse().ok()?;
        return private_v6(ip).map(|range| format!("{ip} ({range})"));
    }
    let name = if whatwg {
        host.strip_suffix('.').unwrap_or(host)
    } else {
        host
    };
    if name == "localhost" || name.ends_with(".localhost") {
        return Some("127.0.0.1 or ::1 (loopback: localhost names)".to_string());
    }
    let ip = ipv4_number_forms(name)?;
    private_v4(ip).map(|range| format!("{} ({range})", std::net::Ipv4Addr::from(ip)))
}

/// PHP's private and reserved IPv4 ranges (PHP 8.2's
/// `FILTER_FLAG_NO_PRIV_RANGE | FILTER_FLAG_NO_RES_RANGE`, checked by
/// running `filter_var`: 100.64.0.0/10, 198.18.0.0/15 and 224.0.0.0/4 pass).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn private_v4(ip: u32) -> Option<&'static str> {
    let [a, b, _, _] = ip.to_be_bytes();
    match (a, b) {
        (10, _) => Some("the private range 10.0.0.0/8"),
        (172, 16..=31) => Some("the private range 172.16.0.0/12"),
        (192, 168) => Some("the private range 192.168.0.0/16"),
        (0, _) => Some("the reserved range 0.0.0.0/8"),
        (127, _) => Some("the loopback range 127.0.0.0/8"),
        (169, 254) => Some("the link-local range 169.254.0.0/16"),
        (240..=255, _) => Some("the reserved range 240.0.0.0/4"),
        _ => None,
    }
}

/// IPv6 addresses that reach this host or a private network: what PHP
/// refuses when it sees them (::1, ::, fc00::/7, fe80::/10), and an
/// IPv4-mapped address judged by its IPv4 address (it connects there,
/// though PHP 8.2 passes `::ffff:127.0.0.1`).
#[cfg_attr(hookmatch_package, optimize(size))]
fn private_v6(ip: std::net::Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    if ip.is_unspecified() {
        return Some("the unspecified address ::, which connects to this host");
    }
    if ip.is_loopback() {
        return Some("the loopback address ::1");
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        return private_v4(u32::from(v4)).map(|_| "an IPv4-mapped private or loopback address");
    }
    if s[0] & 0xfe00 == 0xfc00 {
        return Some("the unique local range fc00::/7");
    }
    if s[0] & 0xffc0 == 0xfe80 {
        return Some("the link-local range fe80::/10");
    }
    None
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn split_port(hostport: &str) -> Result<(&str, Option<u16>), String> {
    let colon = if hostport.starts_with('[') {
        hostport
            .find(']')
            .and_then(|i| hostport[i..].find(':').map(|j| i + j))
    } else {
        hostport.rfind(':')
    };
    match colon {
        None => Ok((hostport, None)),
        Some(i) => {
            let digits = &hostport[i + 1..];
            if digits.is_empty() {
                return Ok((&hostport[..i], None));
            }
            match digits.parse::<u16>() {
                Ok(p) if digits.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok((&hostport[..i], Some(p)))
                }
                _ => Err(format!(
                    "the port {} is not a number from 0 to 65535",
                    crate::text::quote_short(digits)
                )),
            }
        }
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn describe(c: char) -> String {
    if c == ' ' {
        "a space".into()
    } else if c.is_control() || c.is_whitespace() {
        format!("the control character U+{:04X}", c as u32)
    } else {
        crate::text::quote_char(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_seed_urls() {
        for u in [
            "http://requestb.in/ua5hi2ua",
            "https://domain-for-subscription.com/API/endpoint/UpdatedTasks",
            "http://test.test.net/test/1234",
            "https://example.com:8443/x?y=1#z",
            "https://user:pw@example.com/",
            "http://[::1]:8080/hook",
            "HTTPS://EXAMPLE.COM",
        ] {
            assert!(parse_http_url(u).is_ok(), "{u}");
        }
    }

    #[test]
    fn rejects_what_vendors_refuse() {
        for u in [
            "",
            "example.com/hook",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example..com",
            "https://-bad.com",
            "https://example.com:99999/",
            "https://example.com:12ab/",
            "https://[zz]/",
            "//example.com",
        ] {
            assert!(parse_http_url(u).is_err(), "{u}");
        }
    }

    #[test]
    fn host_labels_are_checked_character_by_character() {
        assert!(parse_http_url("https://ex_ample.com/").is_ok());
        assert!(parse_http_url("https://exämple.com./").is_ok());
        assert_eq!(
            parse_http_url("https://a-.example.com").err().as_deref(),
            Some("the host label a- cannot start or end with \"-\"")
        );
        assert_eq!(
            parse_http_url("https://ex!ample.com").err().as_deref(),
            Some("the host ex!ample.com contains \"!\"")
        );
        assert_eq!(
            parse_http_url("https://a..b").err().as_deref(),
            Some("the host a..b has an empty label")
        );
    }

    /// Node's `new URL(u).hostname` (v20) gave these hosts.
    #[test]
    fn whatwg_host_ends_the_authority_at_a_backslash() {
        assert_eq!(
            whatwg_host("http://127.0.0.1\\@evil.example/"),
            Some("127.0.0.1")
        );
        assert_eq!(
            whatwg_host("http://evil.example\\@127.0.0.1/"),
            Some("evil.example")
        );
        assert_eq!(
            whatwg_host("http://127.0.0.1:80@evil.example/"),
            Some("evil.example")
        );
        assert_eq!(whatwg_host("HTTP://[::1]:8080/x"), Some("[::1]"));
        assert_eq!(whatwg_host("ftp://x/"), None);
    }

    #[test]
    fn fullwidth_forms_fold_to_ascii() {
        assert_eq!(fold_host("１２７.０.０.１"), "127.0.0.1");
        assert_eq!(fold_host("ｌｏｃａｌｈｏｓｔ"), "localhost");
        assert_eq!(fold_host("127。0。0。1"), "127.0.0.1");
        assert_eq!(fold_host("Exämple.COM"), "exämple.com");
    }

    /// inet_aton(3): "a", "a.b", "a.b.c", "a.b.c.d", each part in C's
    /// notation (0x hex, leading-0 octal, else decimal).
    #[test]
    fn ipv4_in_inet_aton_forms() {
        let ip = |s| ipv4_number_forms(s).map(std::net::Ipv4Addr::from);
        let lo = Some(std::net::Ipv4Addr::new(127, 0, 0, 1));
        for s in [
            "127.0.0.1",
            "127.1",
            "2130706433",
            "0x7f000001",
            "0X7F000001",
            "0177.0.0.1",
            "017700000001",
            "0x7f.0.0.1",
            "0x7f.1",
            "127.000.000.001",
            "0177.1",
        ] {
            assert_eq!(ip(s), lo, "{s}");
        }
        assert_eq!(ip("4294967295"), Some(std::net::Ipv4Addr::BROADCAST));
        for s in [
            "4294967296",
            "08.0.0.1",
            "1.2.3.4.5",
            "256.0.0.1",
            "127.0.0.",
            "",
            "+1",
            "1.-1",
            "0x1g",
            "127.0.0.256",
        ] {
            assert_eq!(ip(s), None, "{s}");
        }
    }

    #[test]
    fn what_curl_or_fetch_sends_to_a_private_address() {
        fn host(u: &str) -> &str {
            parse_http_url(u).unwrap().host
        }
        for (url, says) in [
            ("http://[::1]/", "curl and fetch send it to ::1"),
            ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
            ("http://[fd12:3456::1]/hook", "fc00::/7"),
            ("http://0x7f000001/", "curl and fetch send it to 127.0.0.1"),
            ("http://0xa9fea9fe/", "169.254.169.254"),
            ("http://１２７.０.０.１/", "127.0.0.1"),
            ("http://ｌｏｃａｌｈｏｓｔ/", "loopback"),
            ("http://foo.localhost/", "curl and fetch"),
            ("http://localhost./", "fetch sends it to 127.0.0.1 or ::1"),
            ("http://127.0.0.1./", "fetch sends it to 127.0.0.1"),
            (
                "http://127.0.0.1\\@evil.example/",
                "fetch sends it to 127.0.0.1",
            ),
        ] {
            let got = reaches_private(url, host(url));
            assert!(
                got.as_deref().is_some_and(|g| g.contains(says)),
                "{url}: {got:?}"
            );
        }
        for url in [
            "https://example.com/webhook",
            "http://127.0.0.1:80@evil.example/",
            "http://[2001:db8::1]/",
            "http://[::ffff:8.8.8.8]/",
            "http://100.64.0.1/",
            "http://exämple.com/",
        ] {
            assert_eq!(reaches_private(url, host(url)), None, "{url}");
        }
    }

    #[test]
    fn parts() {
        let u = parse_http_url("https://a.example:444/p?q").unwrap();
        assert!(u.https);
        assert_eq!(u.host, "a.example");
        assert_eq!(u.port, Some(444));
        assert_eq!(u.rest, "/p?q");
    }
}

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
                    "the port {digits:?} is not a number from 0 to 65535"
                )),
            }
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn describe(c: char) -> String {
    if c == ' ' {
        "a space".into()
    } else if c.is_control() || c.is_whitespace() {
        format!("the control character U+{:04X}", c as u32)
    } else {
        format!("{c:?}")
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
            Some("the host ex!ample.com contains '!'")
        );
        assert_eq!(
            parse_http_url("https://a..b").err().as_deref(),
            Some("the host a..b has an empty label")
        );
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

/// Why Kanboard would refuse `host` as a private-network target, if it
/// would: its `HttpClient::isPrivateURL` (app/Core/Http/Client.php, kanboard
/// 2cba210) resolves the host and refuses an address in PHP's
/// `FILTER_FLAG_NO_PRIV_RANGE | FILTER_FLAG_NO_RES_RANGE` ranges. hookmatch
/// cannot resolve names, so it judges IP literals (every form
/// `gethostbyname` takes, such as `127.1` or `2130706433`) and `localhost`;
/// a name that resolves to a private address is not caught here.
pub fn private_network_host(host: &str) -> Option<String> {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if h == "localhost" {
        return Some(format!("{host} resolves to 127.0.0.1, a loopback address"));
    }
    if let Some(inner) = h.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        let ip: std::net::Ipv6Addr = inner.parse().ok()?;
        return private_v6(ip).map(|range| format!("{host} is in {range}"));
    }
    let ip = inet_aton(&h)?;
    private_v4(ip).map(|range| format!("{host} is in {range}"))
}

/// PHP's private and reserved IPv4 ranges.
fn private_v4(ip: u32) -> Option<&'static str> {
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

/// PHP's private and reserved IPv6 ranges.
fn private_v6(ip: std::net::Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    if ip.is_unspecified() {
        return Some("the unspecified address ::");
    }
    if ip.is_loopback() {
        return Some("the loopback address ::1");
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        return private_v4(u32::from(v4)).or(Some("the IPv4-mapped range ::ffff:0:0/96"));
    }
    if s[0] & 0xfe00 == 0xfc00 {
        return Some("the unique local range fc00::/7");
    }
    if s[0] & 0xffc0 == 0xfe80 {
        return Some("the link-local range fe80::/10");
    }
    None
}

/// An IPv4 address in any form `inet_aton` (and so `gethostbyname`)
/// takes: one to four parts, each decimal, octal (`0…`) or hex (`0x…`).
fn inet_aton(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(parts.len());
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X"))
        {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        if digits.is_empty() && radix != 16 {
            return None;
        }
        let n = if digits.is_empty() {
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        nums.push(n);
    }
    let (last, init) = nums.split_last()?;
    if init.iter().any(|n| *n > 255) {
        return None;
    }
    let shift_bits = 8 * (4 - nums.len() as u32 + 1);
    let max_last: u64 = if shift_bits >= 32 {
        u64::from(u32::MAX)
    } else {
        (1u64 << shift_bits) - 1
    };
    if *last > max_last {
        return None;
    }
    let mut ip: u64 = 0;
    for (i, n) in init.iter().enumerate() {
        ip |= n << (24 - 8 * i as u32);
    }
    u32::try_from(ip | last).ok()
}

#[cfg(test)]
mod private_tests {
    use super::*;

    #[test]
    fn kanboards_private_and_reserved_ranges() {
        for host in [
            "localhost",
            "127.0.0.1",
            "127.1",
            "2130706433",
            "0x7f.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "240.0.0.1",
            "[::1]",
            "[::]",
            "[fd00::1]",
            "[fe80::1]",
            "[::ffff:192.168.1.1]",
            "LOCALHOST.",
        ] {
            assert!(private_network_host(host).is_some(), "{host}");
        }
        for host in [
            "example.com",
            "8.8.8.8",
            "172.32.0.1",
            "192.169.0.1",
            "100.64.0.1",
            "[2001:db8::1]",
            "kanboard.local",
            "1.2.3.4.5",
        ] {
            assert!(private_network_host(host).is_none(), "{host}");
        }
    }
}

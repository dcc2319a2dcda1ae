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

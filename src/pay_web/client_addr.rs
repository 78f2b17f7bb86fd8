//! Who is asking: the one place that decides a request's client address, for the customer
//! routes' rate limiter ([`CustomerKey`]) and the access log ([`access_log`]).
//!
//! Behind a load balancer (HAProxy, nginx) every TCP connection comes from the proxy, so keying
//! on the peer address puts every customer in one quota and logs nothing useful. The proxy
//! writes the address it saw in a header, but so can anyone: a header is believed only when the
//! TCP peer is one of `pay_server.trusted_proxies` (default: nobody), and then only the part the
//! trusted proxies wrote. The chain is read from the right (each proxy appends the address it
//! saw), skipping trusted proxies; the first address that is not one is the client. Whatever a
//! client wrote itself sits further left and is never reached. A hop that is not an address
//! (garbage, `unknown`, an obfuscated `_name`) stops the walk at the last trusted hop: fail
//! closed, never guess.
//!
//! Only one header is read, the one the proxy writes (`pay_server.forwarded_header`):
//! `X-Forwarded-For` (HAProxy's `option forwardfor`, nginx's `$proxy_add_x_forwarded_for`) or
//! RFC 7239 `Forwarded: for=` (HAProxy's `option forwarded`). A proxy passes the other one on
//! untouched, so reading both would let a client choose its own address.
//!
//! CIDRs are parsed by `ipnet`. The `Forwarded` grammar (quoted strings with escapes, commas and
//! semicolons inside quotes, `"[v6]:port"`) is read here: the crates for it split on every comma
//! and trim quotes without unescaping (rfc7239 0.1), or are young one-author parsers.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Instant;

use actix_governor::{KeyExtractor, SimpleKeyExtractionError};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::middleware::Next;
use actix_web::web;
use ipnet::IpNet;

/// The proxies whose forwarding header is believed (`pay_server.trusted_proxies`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses CIDRs (`10.0.0.0/8`, `2001:db8::/32`) or single addresses (`127.0.0.1`, one
    /// host). A prefix with host bits set (`10.0.0.1/8`) is refused: it usually means a typo
    /// that would trust far more than meant.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<TrustedProxies, String> {
        let mut nets = Vec::with_capacity(entries.len());
        for entry in entries {
            let text = entry.as_ref().trim();
            let net = match text.parse::<IpNet>() {
                Ok(net) if net.trunc() != net => {
                    return Err(format!(
                        "'{text}' has host bits set: write {} (the network) or {}/{} (one host)",
                        net.trunc(),
                        net.addr(),
                        net.max_prefix_len()
                    ));
                }
                Ok(net) => net,
                Err(_) => match text.parse::<IpAddr>() {
                    Ok(ip) => IpNet::from(ip.to_canonical()),
                    Err(_) => {
                        return Err(format!(
                            "'{text}' is not a CIDR such as 10.0.0.0/8, 2001:db8::/32 or 127.0.0.1/32"
                        ));
                    }
                },
            };
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn nets(&self) -> &[IpNet] {
        &self.0
    }
}

/// The header a trusted proxy writes the client's address in (`pay_server.forwarded_header`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardedHeader {
    #[default]
    XForwardedFor,
    Forwarded,
}

impl ForwardedHeader {
    pub fn parse(s: &str) -> Option<ForwardedHeader> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Some(ForwardedHeader::XForwardedFor),
            "forwarded" => Some(ForwardedHeader::Forwarded),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ForwardedHeader::XForwardedFor => "x-forwarded-for",
            ForwardedHeader::Forwarded => "forwarded",
        }
    }
}

/// Whom to believe about the client's address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientAddrPolicy {
    pub trusted: TrustedProxies,
    pub header: ForwardedHeader,
}

impl ClientAddrPolicy {
    /// The client's address: `peer` (the TCP peer) unless it is a trusted proxy, else the
    /// right-most address of the forwarding header that is not a trusted proxy.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusted.contains(peer) {
            return peer;
        }
        let hops = match self.header {
            ForwardedHeader::XForwardedFor => {
                header_lines(headers, "x-forwarded-for", x_forwarded_for_hops)
            }
            ForwardedHeader::Forwarded => header_lines(headers, "forwarded", forwarded_hops),
        };
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            match hop {
                Some(ip) if self.trusted.contains(ip) => client = ip,
                Some(ip) => return ip,
                // Not an address: the chain cannot be followed further.
                None => return client,
            }
        }
        client
    }
}

/// The hops of every line of header `name`, in order (a proxy may add a line of its own rather
/// than extend the last one). Bytes that are not UTF-8 spoil only the hop they are in.
fn header_lines(
    headers: &HeaderMap,
    name: &str,
    hops_of: fn(&str) -> Vec<Option<IpAddr>>,
) -> Vec<Option<IpAddr>> {
    headers
        .get_all(name)
        .flat_map(|v| hops_of(&String::from_utf8_lossy(v.as_bytes())))
        .collect()
}

/// `X-Forwarded-For: 203.0.113.9, 10.0.0.2` → the addresses, left to right.
fn x_forwarded_for_hops(line: &str) -> Vec<Option<IpAddr>> {
    line.split(',').map(node_address).collect()
}

/// `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"` → the `for=` of each
/// element, left to right. An element without exactly one readable `for=` is unreadable.
fn forwarded_hops(line: &str) -> Vec<Option<IpAddr>> {
    split_unquoted(line, ',')
        .into_iter()
        .map(|element| {
            let mut found = None;
            let mut fors = 0;
            for pair in split_unquoted(element?, ';') {
                let pair = pair?.trim();
                if pair.is_empty() {
                    continue;
                }
                let (name, value) = pair.split_once('=')?;
                if name.trim().eq_ignore_ascii_case("for") {
                    fors += 1;
                    found = unquote(value.trim()).and_then(|v| node_address(&v));
                }
            }
            if fors == 1 { found } else { None }
        })
        .collect()
}

/// Splits `s` on `sep` outside quoted strings (`\` escapes the next character inside them). A
/// piece holding an unterminated quote is `None`.
fn split_unquoted(s: &str, sep: char) -> Vec<Option<&str>> {
    let mut pieces = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            pieces.push(Some(&s[start..i]));
            start = i + c.len_utf8();
        }
    }
    pieces.push((!quoted).then(|| &s[start..]));
    pieces
}

/// A `Forwarded` value: a token, or a quoted string (unescaped). `None` when it is neither.
fn unquote(value: &str) -> Option<String> {
    let Some(inner) = value.strip_prefix('"') else {
        return (!value.is_empty() && !value.contains(['"', '\\', ' '])).then(|| value.to_owned());
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '"' => return chars.as_str().is_empty().then_some(out),
            c => out.push(c),
        }
    }
    None
}

/// A node as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]`
/// or `[2001:db8::1]:4711`. IPv4-mapped IPv6 addresses are their IPv4 address.
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim();
    let ip = if let Some(rest) = node.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
            return None;
        }
        IpAddr::V6(v6.parse::<Ipv6Addr>().ok()?)
    } else if let Ok(ip) = node.parse::<IpAddr>() {
        ip
    } else {
        let (v4, port) = node.rsplit_once(':')?;
        if !is_port(port) {
            return None;
        }
        IpAddr::V4(v4.parse::<Ipv4Addr>().ok()?)
    };
    Some(ip.to_canonical())
}

fn is_port(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 5
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse::<u16>().is_ok()
}

/// The customer routes' rate-limit key: the client's address from [`ClientAddrPolicy`]. IPv6
/// clients are counted per /56, as actix-governor's own peer extractor does: one household or
/// phone is often handed a whole prefix and could otherwise rotate addresses.
#[derive(Debug, Clone)]
pub struct CustomerKey(pub Arc<ClientAddrPolicy>);

impl KeyExtractor for CustomerKey {
    type Key = IpAddr;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<IpAddr, Self::KeyExtractionError> {
        let peer = req
            .peer_addr()
            .ok_or_else(|| SimpleKeyExtractionError::new("no peer address"))?;
        Ok(rate_key(self.0.client_ip(peer.ip(), req.headers())))
    }
}

fn rate_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let mut octets = v6.octets();
            octets[7..].fill(0);
            IpAddr::V6(Ipv6Addr::from(octets))
        }
    }
}

/// The access log: one line per request at `info` on target `kaching::pay_web::access`
/// (`KACHING_LOG=warn,kaching::pay_web::access=info`), naming the client as
/// [`ClientAddrPolicy::client_ip`] decides, the peer when it differs (the proxy), the route's
/// pattern (never the path: `/p/{token}` holds the customer's secret token), the status and
/// the time to the response's head. The policy comes from the app data the server registers.
pub async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let peer = req.peer_addr().map(|a| a.ip().to_canonical());
    let client = match (peer, req.app_data::<web::Data<ClientAddrPolicy>>()) {
        (Some(peer), Some(policy)) => Some(policy.client_ip(peer, req.headers())),
        (peer, _) => peer,
    };
    let method = req.method().clone();
    let res = next.call(req).await?;
    let route = res.request().match_pattern();
    let status = res.status().as_u16();
    let show = |ip: Option<IpAddr>| ip.map_or_else(|| "-".to_owned(), |ip| ip.to_string());
    // Passed health checks, every few seconds from each load balancer, would drown the rest.
    if !(route.as_deref() == Some("/healthz") && status == 200) {
        tracing::info!(
            target: "kaching::pay_web::access",
            client = %show(client),
            peer = %if peer == client { "-".to_owned() } else { show(peer) },
            method = %method,
            route = route.as_deref().unwrap_or("(unmatched)"),
            status,
            ms = started.elapsed().as_millis() as u64,
            "request"
        );
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn policy(trusted: &[&str], header: ForwardedHeader) -> ClientAddrPolicy {
        ClientAddrPolicy {
            trusted: TrustedProxies::parse(trusted).unwrap(),
            header,
        }
    }

    fn headers(lines: &[(&str, &[u8])]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in lines {
            h.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(p: &ClientAddrPolicy, peer: &str, lines: &[&str]) -> IpAddr {
        let lines: Vec<(&str, &[u8])> = lines
            .iter()
            .map(|l| ("X-Forwarded-For", l.as_bytes()))
            .collect();
        p.client_ip(ip(peer), &headers(&lines))
    }

    fn fwd(p: &ClientAddrPolicy, peer: &str, lines: &[&str]) -> IpAddr {
        let lines: Vec<(&str, &[u8])> = lines.iter().map(|l| ("Forwarded", l.as_bytes())).collect();
        p.client_ip(ip(peer), &headers(&lines))
    }

    #[test]
    fn a_forged_header_from_a_peer_that_is_not_trusted_is_ignored() {
        let nobody = ClientAddrPolicy::default();
        assert_eq!(
            xff(&nobody, "198.51.100.7", &["1.2.3.4"]),
            ip("198.51.100.7")
        );
        let p = policy(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        assert_eq!(xff(&p, "198.51.100.7", &["1.2.3.4"]), ip("198.51.100.7"));
        assert_eq!(xff(&p, "198.51.100.7", &["10.0.0.1"]), ip("198.51.100.7"));
        let p = policy(&["10.0.0.0/8"], ForwardedHeader::Forwarded);
        assert_eq!(
            fwd(&p, "198.51.100.7", &["for=1.2.3.4"]),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
        let p = policy(
            &["10.0.0.0/8", "127.0.0.1/32"],
            ForwardedHeader::XForwardedFor,
        );
        // One proxy.
        assert_eq!(xff(&p, "10.0.0.2", &["203.0.113.9"]), ip("203.0.113.9"));
        // What the client wrote is on the left: never reached.
        assert_eq!(
            xff(&p, "10.0.0.2", &["6.6.6.6, 203.0.113.9"]),
            ip("203.0.113.9")
        );
        // Two trusted proxies in a row (a CDN node inside 10/8, then HAProxy).
        assert_eq!(
            xff(&p, "127.0.0.1", &["6.6.6.6, 203.0.113.9, 10.1.2.3"]),
            ip("203.0.113.9")
        );
        // HAProxy adds a line of its own after the client's forged one.
        assert_eq!(
            xff(&p, "127.0.0.1", &["6.6.6.6", "203.0.113.9"]),
            ip("203.0.113.9")
        );
        // Every hop trusted (a client inside the network): the left-most one.
        assert_eq!(
            xff(&p, "127.0.0.1", &["10.9.9.9, 10.0.0.2"]),
            ip("10.9.9.9")
        );
        // A trusted peer that sent no header: the peer itself.
        assert_eq!(xff(&p, "10.0.0.2", &[]), ip("10.0.0.2"));
        // Spaces and ports as some proxies write them.
        assert_eq!(
            xff(&p, "10.0.0.2", &["  203.0.113.9:51234 ,10.0.0.7 "]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn ipv6_peers_chains_and_mapped_addresses() {
        let p = policy(
            &["2001:db8:ffff::/48", "::1/128", "10.0.0.0/8"],
            ForwardedHeader::XForwardedFor,
        );
        assert_eq!(
            xff(&p, "2001:db8:ffff::2", &["2a02:a03f:1:2::5"]),
            ip("2a02:a03f:1:2::5")
        );
        assert_eq!(
            xff(&p, "::1", &["[2a02:a03f:1:2::5]:443, 2001:db8:ffff::9"]),
            ip("2a02:a03f:1:2::5")
        );
        // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d: still the IPv4 proxy.
        assert_eq!(
            xff(&p, "::ffff:10.0.0.2", &["203.0.113.9"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            xff(&p, "::ffff:192.0.2.1", &["203.0.113.9"]),
            ip("192.0.2.1")
        );
        assert_eq!(
            xff(&p, "10.0.0.2", &["::ffff:203.0.113.9"]),
            ip("203.0.113.9")
        );
        // Rate keys: IPv6 per /56, IPv4 per address.
        assert_eq!(
            rate_key(ip("2a02:a03f:1:2a:1:2:3:4")),
            rate_key(ip("2a02:a03f:1:ff::9"))
        );
        assert_ne!(
            rate_key(ip("2a02:a03f:1:2a::1")),
            rate_key(ip("2a02:a03f:1:12a::1"))
        );
        assert_eq!(rate_key(ip("203.0.113.9")), ip("203.0.113.9"));
    }

    #[test]
    fn forwarded_elements_parameters_and_quoting() {
        let p = policy(&["10.0.0.0/8"], ForwardedHeader::Forwarded);
        assert_eq!(
            fwd(
                &p,
                "10.0.0.2",
                &["for=192.0.2.60;proto=http;by=203.0.113.43"]
            ),
            ip("192.0.2.60")
        );
        // Parameter names are case-insensitive; IPv6 is quoted with brackets and a port.
        assert_eq!(
            fwd(&p, "10.0.0.2", &["For=\"[2001:db8:cafe::17]:4711\""]),
            ip("2001:db8:cafe::17")
        );
        assert_eq!(
            fwd(
                &p,
                "10.0.0.2",
                &["for=6.6.6.6, for=\"192.0.2.60:8080\";proto=https"]
            ),
            ip("192.0.2.60")
        );
        // A comma and a semicolon inside a quoted value do not split anything.
        assert_eq!(
            fwd(
                &p,
                "10.0.0.2",
                &["for=192.0.2.60;ext=\"a, b; c \\\" d\", for=10.1.1.1"]
            ),
            ip("192.0.2.60")
        );
        // Several lines, read in order.
        assert_eq!(
            fwd(
                &p,
                "10.0.0.2",
                &["for=6.6.6.6", "for=192.0.2.61;by=10.0.0.2"]
            ),
            ip("192.0.2.61")
        );
        // An escaped character in a quoted address is the character.
        assert_eq!(
            fwd(&p, "10.0.0.2", &["for=\"192.0.2.6\\2\""]),
            ip("192.0.2.62")
        );
        // X-Forwarded-For is not read when Forwarded is the header (a proxy passes it on).
        let h = headers(&[("X-Forwarded-For", b"6.6.6.6")]);
        assert_eq!(p.client_ip(ip("10.0.0.2"), &h), ip("10.0.0.2"));
        let x = policy(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        let h = headers(&[("Forwarded", b"for=6.6.6.6")]);
        assert_eq!(x.client_ip(ip("10.0.0.2"), &h), ip("10.0.0.2"));
    }

    #[test]
    fn garbage_stops_the_walk_at_the_last_trusted_hop() {
        let p = policy(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        for line in [
            "not-an-ip",
            "",
            "203.0.113.9, ",
            "unknown",
            "203.0.113.9:99999",
            "[2001:db8::1",
            "2001:db8::1:80:x",
            "fe80::1%eth0",
            "1.2.3.4.5",
        ] {
            assert_eq!(xff(&p, "10.0.0.2", &[line]), ip("10.0.0.2"), "{line:?}");
        }
        // Garbage left of a real address is never reached.
        assert_eq!(
            xff(&p, "10.0.0.2", &["💥 garbage, 203.0.113.9"]),
            ip("203.0.113.9")
        );
        // Garbage behind a second trusted proxy: that proxy is as far as we can see.
        assert_eq!(xff(&p, "10.0.0.2", &["junk, 10.0.0.3"]), ip("10.0.0.3"));
        // Bytes that are not UTF-8 spoil their own hop only.
        let h = headers(&[("X-Forwarded-For", b"203.0.113.9\xff")]);
        assert_eq!(p.client_ip(ip("10.0.0.2"), &h), ip("10.0.0.2"));
        let h = headers(&[("X-Forwarded-For", b"\xff\xfe, 203.0.113.9")]);
        assert_eq!(p.client_ip(ip("10.0.0.2"), &h), ip("203.0.113.9"));

        let f = policy(&["10.0.0.0/8"], ForwardedHeader::Forwarded);
        for line in [
            "for=unknown",
            "for=_hidden",
            "for=\"192.0.2.60",
            "for=192.0.2.60;for=192.0.2.61",
            "proto=http",
            "for",
            "for=\"[2001:db8::1]:http\"",
            "for=\"192.0.2.60\"x",
            "for=192.0.2.\"60\"",
            "for=192.0.2.60, junk",
        ] {
            assert_eq!(fwd(&f, "10.0.0.2", &[line]), ip("10.0.0.2"), "{line:?}");
        }
    }

    #[test]
    fn trusted_proxies_parse_cidrs_and_refuse_the_rest() {
        let t = TrustedProxies::parse(&["127.0.0.1/32", " 10.0.0.0/8", "::1", "2001:db8::/32"])
            .unwrap();
        assert!(t.contains(ip("10.255.0.1")));
        assert!(t.contains(ip("::1")));
        assert!(t.contains(ip("::ffff:127.0.0.1")));
        assert!(t.contains(ip("2001:db8:1::1")));
        assert!(!t.contains(ip("127.0.0.2")));
        assert!(!t.contains(ip("11.0.0.1")));
        assert!(TrustedProxies::parse::<&str>(&[]).unwrap().is_empty());
        for (bad, says) in [
            ("10.0.0.0/33", "not a CIDR"),
            ("10.0.0/8", "not a CIDR"),
            ("localhost", "not a CIDR"),
            ("", "not a CIDR"),
            (
                "10.0.0.1/8",
                "write 10.0.0.0/8 (the network) or 10.0.0.1/32",
            ),
            ("2001:db8::1/32", "2001:db8::/32"),
        ] {
            let err = TrustedProxies::parse(&[bad]).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
        assert_eq!(
            ForwardedHeader::parse(" Forwarded "),
            Some(ForwardedHeader::Forwarded)
        );
        assert_eq!(
            ForwardedHeader::parse("x-forwarded-for"),
            Some(ForwardedHeader::XForwardedFor)
        );
        assert_eq!(ForwardedHeader::parse("x-real-ip"), None);
    }
}

//! Who is asking: the peer address, and the client address behind trusted
//! reverse proxies.
//!
//! `X-Forwarded-For` is only believed when the TCP peer is a configured
//! trusted proxy; otherwise anyone could pick their own rate-limit bucket.
//! The list is read from the right (the hop nearest to us) and the first
//! address that is not itself a trusted proxy is the client.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};

/// An address range such as `10.0.0.0/8`, `2001:db8::/32` or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[full] & mask == b[full] & mask
    }
}

/// IPv4-mapped IPv6 addresses (a dual-stack socket's view of an IPv4
/// peer) compare as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl FromStr for IpNet {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        let (addr, prefix) = match raw.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (raw, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("\"{raw}\" is not an IP address or CIDR range"))?;
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("\"{raw}\": the prefix length must be 0-{max}"))?,
        };
        Ok(IpNet { addr, prefix })
    }
}

/// The client's address: the peer, or for a trusted proxy the nearest
/// untrusted address in `X-Forwarded-For`. `None` when the request did not
/// come over a socket (in-process tests without `ConnectInfo`).
pub fn client_ip(
    extensions: &Extensions,
    headers: &HeaderMap,
    trusted: &[IpNet],
) -> Option<IpAddr> {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| canonical(addr.ip()))?;
    Some(resolve(peer, headers, trusted))
}

fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = canonical(ip);
                if !is_trusted(client) {
                    break;
                }
            }
            // A garbled hop: stop at the last address we could vouch for.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn xff(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn ranges_contain_what_they_should() {
        let net: IpNet = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains("10.1.255.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()));
        let one: IpNet = "2001:db8::1".parse().unwrap();
        assert!(one.contains("2001:db8::1".parse().unwrap()));
        assert!(!one.contains("2001:db8::2".parse().unwrap()));
        let odd: IpNet = "192.168.0.0/23".parse().unwrap();
        assert!(odd.contains("192.168.1.200".parse().unwrap()));
        assert!(!odd.contains("192.168.2.1".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert!("proxy.local".parse::<IpNet>().is_err());
    }

    #[test]
    fn forwarded_for_is_ignored_from_an_untrusted_peer() {
        let peer = "203.0.113.9".parse().unwrap();
        let got = resolve(peer, &xff("198.51.100.1"), &nets(&["10.0.0.0/8"]));
        assert_eq!(got, peer);
        assert_eq!(resolve(peer, &xff("198.51.100.1"), &[]), peer);
    }

    #[test]
    fn forwarded_for_from_a_trusted_proxy_names_the_nearest_untrusted_hop() {
        let proxy = "10.0.0.2".parse().unwrap();
        let trusted = nets(&["10.0.0.0/8"]);
        // The client prepended a forged address; the proxy appended the real one.
        let got = resolve(proxy, &xff("1.2.3.4, 198.51.100.7, 10.0.0.3"), &trusted);
        assert_eq!(got, "198.51.100.7".parse::<IpAddr>().unwrap());
        // No header: the proxy itself.
        assert_eq!(resolve(proxy, &HeaderMap::new(), &trusted), proxy);
        // Garbage in the nearest hop: stop at the proxy.
        assert_eq!(resolve(proxy, &xff("1.2.3.4, nonsense"), &trusted), proxy);
    }
}

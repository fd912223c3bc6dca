//! The client's network, for per-client rate limits and counting views.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use poem::Request;

/// The client's network: an IPv4 address, or the /64 an IPv6 address is in
/// (one subscriber's line or phone gets a whole /64, and picks addresses in
/// it at will), so a limit or a count per client cannot be multiplied by
/// rotating addresses. See [`client_ip`] for which address is the client's.
#[must_use]
pub fn client_network(req: &Request, trust_forwarded_for: bool, trusted_hops: usize) -> IpAddr {
    network(client_ip(req, trust_forwarded_for, trusted_hops))
}

/// The network `ip` stands for: IPv4 as it is, IPv6 cut to its /64.
#[must_use]
pub fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                IpAddr::V4(v4)
            } else {
                IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX)))
            }
        }
    }
}

/// The peer address; behind `trusted_hops` proxies of the platform's own
/// (`trust_forwarded_for`), the address the outermost of them saw.
///
/// Each proxy appends the address it saw to `X-Forwarded-For`, so only the
/// last `trusted_hops` entries were written by proxies of the platform's own;
/// anything left of them came from the client and is ignored. A header with
/// fewer entries than hops gives its leftmost entry, and one that does not
/// parse gives the peer address.
#[must_use]
fn client_ip(req: &Request, trust_forwarded_for: bool, trusted_hops: usize) -> IpAddr {
    let peer = req
        .remote_addr()
        .as_socket_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), std::net::SocketAddr::ip);
    if !trust_forwarded_for || trusted_hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let Some(index) = entries.len().checked_sub(1) else {
        return peer;
    };
    let index = index.saturating_sub(trusted_hops - 1);
    entries[index].parse().unwrap_or(peer)
}

/// The coarse name of the client's device, from its `User-Agent`.
#[must_use]
pub fn device(req: &Request) -> Option<String> {
    req.header("user-agent")
        .and_then(crate::domain::device::label)
}

#[cfg(test)]
mod tests {
    use super::{client_ip, network};
    use poem::Request;

    fn ip(headers: &[&str], trust: bool, hops: usize) -> String {
        let mut req = Request::builder();
        for h in headers {
            req = req.header("x-forwarded-for", *h);
        }
        client_ip(&req.finish(), trust, hops).to_string()
    }

    #[test]
    fn the_client_cannot_choose_its_address() {
        // One proxy: it appended the address it saw; the forged entry is ignored.
        assert_eq!(ip(&["6.6.6.6, 203.0.113.7"], true, 1), "203.0.113.7");
        // Two proxies: the outer one saw the client.
        assert_eq!(
            ip(&["6.6.6.6, 203.0.113.7, 10.0.0.2"], true, 2),
            "203.0.113.7"
        );
        // Split over several headers.
        assert_eq!(ip(&["6.6.6.6", "203.0.113.7"], true, 1), "203.0.113.7");
        // Fewer entries than hops: the leftmost.
        assert_eq!(ip(&["203.0.113.7"], true, 3), "203.0.113.7");
        // Untrusted, missing or unreadable: the peer.
        assert_eq!(ip(&["203.0.113.7"], false, 1), "0.0.0.0");
        assert_eq!(ip(&[], true, 1), "0.0.0.0");
        assert_eq!(ip(&["not-an-address"], true, 1), "0.0.0.0");
    }

    #[test]
    fn ipv6_clients_are_their_64() {
        let net = |a: &str| network(a.parse().unwrap()).to_string();
        assert_eq!(net("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::");
        assert_eq!(net("2001:db8:1:2::1"), net("2001:db8:1:2:ffff::9"));
        assert_ne!(net("2001:db8:1:2::1"), net("2001:db8:1:3::1"));
        assert_eq!(net("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(net("203.0.113.7"), "203.0.113.7");
    }
}

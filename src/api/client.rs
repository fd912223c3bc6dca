//! The client's address, for per-client rate limits.

use std::net::{IpAddr, Ipv4Addr};

use poem::Request;

/// The peer address, or the first `X-Forwarded-For` hop when the platform
/// runs behind a trusted proxy.
#[must_use]
pub fn client_ip(req: &Request, trust_forwarded_for: bool) -> IpAddr {
    if trust_forwarded_for {
        let forwarded = req
            .header("x-forwarded-for")
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    req.remote_addr()
        .as_socket_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), std::net::SocketAddr::ip)
}

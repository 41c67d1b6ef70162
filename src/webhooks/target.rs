//! Where deliveries may go: `https` URLs whose every address is public, or, with
//! `NEWSDESK_WEBHOOKS_ALLOW_LOCAL=true`, loopback over `http` too (development and tests).
//! Addresses are checked after DNS resolution, when a subscription is saved and again on every
//! connection (the resolver of the delivery client refuses what the checks refuse), so a name
//! that later resolves to an internal address reaches nothing. What counts as non-public
//! (private, loopback, link-local with the cloud metadata address, shared, reserved, mapped
//! and translated IPv6 forms) is http-acl's list, after the IANA special-purpose registries.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use http_acl::{HttpAcl, HttpAclBuilder};
use url::{Host, Url};

use crate::error::FieldError;

/// Longest accepted target URL.
pub const MAX_URL_LEN: usize = 2_000;

/// How long a name may take to resolve when a subscription is saved.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

/// The address policy, shared by validation and the delivery client's resolver.
#[derive(Clone)]
pub struct Policy {
    acl: Arc<HttpAcl>,
    allow_local: bool,
    /// Names answered without DNS (still checked like any address).
    pinned: Arc<HashMap<String, IpAddr>>,
}

impl Policy {
    pub fn new(allow_local: bool, pinned: HashMap<String, IpAddr>) -> Self {
        let acl = HttpAclBuilder::new()
            .non_global_ip_ranges(false)
            .ip_acl_default(true)
            .build();
        Policy {
            acl: Arc::new(acl),
            allow_local,
            pinned: Arc::new(pinned),
        }
    }

    /// Whether a delivery may connect to `ip`.
    pub fn allows(&self, ip: IpAddr) -> bool {
        (self.allow_local && ip.to_canonical().is_loopback())
            || self.acl.is_ip_allowed(&ip).is_allowed()
    }

    /// The addresses of `name` (port `port`): pinned, or from the system resolver.
    pub async fn lookup(&self, name: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
        if let Some(ip) = self.pinned.get(&name.to_ascii_lowercase()) {
            return Ok(vec![SocketAddr::new(*ip, port)]);
        }
        Ok(tokio::net::lookup_host((name, port)).await?.collect())
    }

    /// The addresses of `name` a delivery may connect to, or an error naming why none.
    pub async fn resolve(&self, name: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
        let addrs = self
            .lookup(name, port)
            .await
            .map_err(|e| format!("cannot resolve {name}: {e}"))?;
        let allowed: Vec<SocketAddr> = addrs
            .iter()
            .copied()
            .filter(|a| self.allows(a.ip()))
            .collect();
        match (allowed.is_empty(), addrs.first()) {
            (false, _) => Ok(allowed),
            (true, Some(a)) => Err(format!(
                "{name} resolves to {}, which is not a public address",
                a.ip()
            )),
            (true, None) => Err(format!("{name} has no addresses")),
        }
    }

    /// Checks a target URL as a subscription is saved: a field error on `url` names what is
    /// wrong. A name that does not resolve (yet) is accepted; deliveries fail until it does.
    pub async fn check(&self, raw: &str) -> Result<Url, FieldError> {
        let err = |code: &str, message: String| Err(FieldError::new("url", code, message));
        let raw = raw.trim();
        if raw.len() > MAX_URL_LEN {
            return err(
                "invalid_url",
                format!("must be at most {MAX_URL_LEN} characters"),
            );
        }
        let Ok(mut url) = Url::parse(raw) else {
            return err("invalid_url", "must be an absolute https URL".into());
        };
        url.set_fragment(None);
        let scheme_ok = match url.scheme() {
            "https" => true,
            "http" => self.allow_local,
            _ => false,
        };
        if !scheme_ok {
            let hint = if self.allow_local {
                "https, or http to loopback"
            } else {
                "https"
            };
            return err("scheme_not_allowed", format!("the scheme must be {hint}"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return err(
                "invalid_url",
                "must not carry a user name or password".into(),
            );
        }
        let port = url.port_or_known_default().unwrap_or(443);
        let addrs: Vec<IpAddr> = match url.host() {
            None => return err("invalid_url", "must name a host".into()),
            Some(Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
            Some(Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
            Some(Host::Domain(name)) => {
                match tokio::time::timeout(LOOKUP_TIMEOUT, self.lookup(name, port)).await {
                    Ok(Ok(addrs)) => addrs.into_iter().map(|a| a.ip()).collect(),
                    // Not resolvable now: checked again on every delivery.
                    _ => Vec::new(),
                }
            }
        };
        if let Some(ip) = addrs.iter().find(|ip| !self.allows(**ip)) {
            return err(
                "forbidden_address",
                format!("{ip} is not a public address (private, loopback, link-local or reserved)"),
            );
        }
        if url.scheme() == "http"
            && (addrs.is_empty() || addrs.iter().any(|ip| !ip.to_canonical().is_loopback()))
        {
            return err(
                "scheme_not_allowed",
                "http is allowed to loopback only; use https".into(),
            );
        }
        Ok(url)
    }

    /// Checks an address written in a URL (which no resolver sees) before a delivery.
    pub fn check_literal(&self, url: &Url) -> Result<(), String> {
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            _ => return Ok(()),
        };
        if self.allows(ip) {
            Ok(())
        } else {
            Err(format!("{ip} is not a public address"))
        }
    }
}

/// The delivery client's resolver: the system's, keeping only addresses the policy allows.
pub struct GuardedResolver(pub Policy);

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let addrs = policy.resolve(name.as_str(), 0).await?;
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allow_local: bool) -> Policy {
        let pinned = HashMap::from([
            ("intranet.example".to_string(), "10.1.2.3".parse().unwrap()),
            (
                "public.example".to_string(),
                "93.184.215.14".parse().unwrap(),
            ),
        ]);
        Policy::new(allow_local, pinned)
    }

    #[actix_web::test]
    async fn refuses_what_is_not_public() {
        let strict = policy(false);
        for (url, code) in [
            ("http://127.0.0.1/hook", "scheme_not_allowed"),
            ("https://127.0.0.1/hook", "forbidden_address"),
            (
                "https://169.254.169.254/latest/meta-data",
                "forbidden_address",
            ),
            ("https://10.0.0.7/hook", "forbidden_address"),
            ("https://172.16.5.4/hook", "forbidden_address"),
            ("https://192.168.1.1/hook", "forbidden_address"),
            ("https://100.64.0.1/hook", "forbidden_address"),
            ("https://[::1]/hook", "forbidden_address"),
            ("https://[::ffff:10.0.0.1]/hook", "forbidden_address"),
            ("https://[fd00:ec2::254]/hook", "forbidden_address"),
            ("https://[fe80::1]/hook", "forbidden_address"),
            ("https://0.0.0.0/hook", "forbidden_address"),
            ("https://intranet.example/hook", "forbidden_address"),
            ("https://localhost/hook", "forbidden_address"),
            ("ftp://public.example/hook", "scheme_not_allowed"),
            ("https://user:pw@public.example/hook", "invalid_url"),
            ("not a url", "invalid_url"),
        ] {
            let e = strict.check(url).await.expect_err(url);
            assert_eq!(e.code, code, "{url}");
        }
        assert!(strict.check("https://public.example/hook").await.is_ok());
        assert!(
            strict
                .check("https://93.184.215.14:8443/hook")
                .await
                .is_ok()
        );
    }

    #[actix_web::test]
    async fn loopback_only_with_the_development_flag() {
        let dev = policy(true);
        assert!(dev.check("http://127.0.0.1:8080/hook").await.is_ok());
        assert!(dev.check("http://[::1]:8080/hook").await.is_ok());
        assert!(dev.check("http://localhost:8080/hook").await.is_ok());
        assert_eq!(
            dev.check("https://10.0.0.7/").await.unwrap_err().code,
            "forbidden_address"
        );
        assert_eq!(
            dev.check("http://public.example/").await.unwrap_err().code,
            "scheme_not_allowed"
        );
        assert!(dev.resolve("intranet.example", 443).await.is_err());
        assert!(dev.resolve("localhost", 80).await.is_ok());
        assert!(policy(false).resolve("localhost", 80).await.is_err());
    }
}

//! Typed configuration, read once from the environment. Every variable is documented in
//! README.md with its default; a bad value stops the start with a message naming it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ipnet::IpNet;
use secrecy::SecretString;

use crate::db::DatabaseUrl;

#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

/// Which browser origins may call the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// `*`: any origin (the API uses bearer tokens, never cookies).
    Any,
    /// An explicit list of origins such as `https://news.example.com`.
    List(Vec<String>),
    /// Empty value: no CORS headers at all.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `NEWSDESK_JWT_SECRET`: HS256 key for access tokens (at least 32 bytes). Unset: a random
    /// secret is generated once and kept in the database.
    pub jwt_secret: Option<SecretString>,
    /// `NEWSDESK_ACCESS_TOKEN_TTL`: lifetime of access tokens.
    pub access_token_ttl: Duration,
    /// `NEWSDESK_REFRESH_TOKEN_TTL`: lifetime of refresh tokens.
    pub refresh_token_ttl: Duration,
    /// `NEWSDESK_MAX_BODY`: largest request body accepted, in bytes.
    pub max_body: usize,
    /// `NEWSDESK_ADMIN_EMAIL` / `NEWSDESK_ADMIN_PASSWORD`: the first admin, created at start
    /// when there are no users yet.
    pub bootstrap_admin: Option<(String, SecretString)>,
    /// `NEWSDESK_CHANGES_DELAY`: how long a change waits before `/changes` lists it, so that
    /// transactions still committing can never be skipped by a reader.
    pub changes_delay: Duration,
    /// `NEWSDESK_SIGNIN_PER_MINUTE_IP`: sign-in attempts allowed per client IP per minute.
    pub signin_per_minute_ip: u32,
    /// `NEWSDESK_SIGNIN_PER_MINUTE_EMAIL`: sign-in attempts allowed per email per minute.
    pub signin_per_minute_email: u32,
    /// `NEWSDESK_TRUSTED_PROXIES`: proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// `NEWSDESK_VIEW_WINDOW`: a visitor's views of one article within this span count once.
    pub view_window: Duration,
    /// `NEWSDESK_VIEW_FLUSH_MS`: how often counted views are written to the database.
    pub view_flush: Duration,
    /// `NEWSDESK_VIEW_DEDUP_CAPACITY`: (visitor, article) pairs one dedup window can hold; memory
    /// holds at most two windows.
    pub view_dedup_capacity: usize,
    /// `NEWSDESK_VIEW_RETENTION_DAYS`: how long hourly view counts are kept.
    pub view_retention_days: u32,
    /// `DATABASE_URL`
    pub database_url: DatabaseUrl,
    /// `NEWSDESK_ADDR`
    pub addr: SocketAddr,
    /// `NEWSDESK_BASE_URL`: public site root used in canonical and share links.
    pub base_url: String,
    /// `NEWSDESK_CACHE_MAX_AGE`: seconds public responses may be cached, by clients and by
    /// this process.
    pub cache_max_age: u32,
    /// `NEWSDESK_CACHE_MB`: memory for the in-process response cache, in MiB (0 turns it off).
    pub cache_mb: u64,
    /// `NEWSDESK_CORS_ORIGINS`
    pub cors_origins: CorsOrigins,
    /// `NEWSDESK_DB_POOL_SIZE`
    pub pool_size: u32,
    /// `NEWSDESK_DB_TIMEOUT`: how long a request waits for a connection before a 503.
    pub db_timeout: Duration,
    /// `NEWSDESK_SQLITE_MMAP_MB`: how much of a SQLite database file each connection maps.
    pub sqlite_mmap_mb: u64,
    /// `NEWSDESK_WORKERS`
    pub workers: usize,
    /// `NEWSDESK_LOG_FORMAT`
    pub log_format: LogFormat,
    /// `NEWSDESK_SEARCH_DIR`: where this process keeps its search index; unset, see
    /// [`Config::search_dir`].
    pub search_dir: Option<PathBuf>,
    /// `NEWSDESK_MEDIA_*`: uploads, their renditions and where they are stored.
    pub media: MediaConfig,
    pub webhooks: WebhookConfig,
}

/// How webhooks are delivered.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// `NEWSDESK_WEBHOOKS_ALLOW_LOCAL`: also allow targets on loopback, over http too
    /// (development and tests). Never private or link-local addresses.
    pub allow_local: bool,
    /// `NEWSDESK_WEBHOOKS_TIMEOUT`: how long one attempt may take, connection included.
    pub timeout: Duration,
    /// Names resolved to fixed addresses instead of by DNS, still checked like any address
    /// (for embedding newsdesk and for tests; not read from the environment).
    pub pinned_hosts: std::collections::HashMap<String, std::net::IpAddr>,
}

/// Where uploaded images go and what an upload may be.
#[derive(Debug, Clone)]
pub struct MediaConfig {
    /// `NEWSDESK_MEDIA_DIR`: the local store's directory; unset, see [`Config::media_dir`].
    pub dir: Option<PathBuf>,
    /// `NEWSDESK_MEDIA_MAX_BYTES`: the largest file an upload may send.
    pub max_bytes: usize,
    /// `NEWSDESK_MEDIA_MAX_PIXELS`: the most pixels (width × height) an image may have; larger
    /// ones are refused before they are decoded.
    pub max_pixels: u64,
    /// `NEWSDESK_MEDIA_WIDTHS`: the widths of the renditions made of each upload (never wider
    /// than the original).
    pub widths: Vec<u32>,
    /// `NEWSDESK_MEDIA_URL`: the public address media files are served from; unset,
    /// `NEWSDESK_BASE_URL` + `/media` (newsdesk serves them itself).
    pub public_url: Option<String>,
    /// `NEWSDESK_MEDIA_S3_BUCKET` and the rest: an S3-compatible bucket instead of the local
    /// directory.
    pub s3: Option<S3Config>,
}

/// An S3-compatible bucket (AWS S3, MinIO, Ceph, ...).
#[derive(Debug, Clone)]
pub struct S3Config {
    /// `NEWSDESK_MEDIA_S3_BUCKET`
    pub bucket: String,
    /// `NEWSDESK_MEDIA_S3_ENDPOINT`: unset for AWS itself, e.g. `http://127.0.0.1:9000` for
    /// MinIO.
    pub endpoint: Option<String>,
    /// `NEWSDESK_MEDIA_S3_REGION`
    pub region: String,
    /// `NEWSDESK_MEDIA_S3_ACCESS_KEY_ID` / `NEWSDESK_MEDIA_S3_SECRET_ACCESS_KEY`; unset, the
    /// usual AWS sources (`AWS_*` variables, instance metadata).
    pub credentials: Option<(String, SecretString)>,
    /// `NEWSDESK_MEDIA_S3_PREFIX`: a folder inside the bucket.
    pub prefix: String,
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_CACHE_MAX_AGE: u32 = 30;
pub const DEFAULT_CACHE_MB: u64 = 32;
pub const DEFAULT_POOL_SIZE: u32 = 16;
/// SQLite's ceiling for a memory-mapped database file (just under 2 GiB).
pub const MAX_SQLITE_MMAP_MB: u64 = 2047;
pub const DEFAULT_DB_TIMEOUT_SECS: u64 = 5;
pub const DEFAULT_ACCESS_TOKEN_TTL_SECS: u64 = 15 * 60;
pub const DEFAULT_REFRESH_TOKEN_TTL_SECS: u64 = 30 * 24 * 3600;
pub const DEFAULT_MAX_BODY: usize = 1 << 20;
pub const DEFAULT_CHANGES_DELAY_SECS: u64 = 2;
pub const DEFAULT_VIEW_WINDOW_SECS: u64 = 30 * 60;
pub const DEFAULT_VIEW_FLUSH_MS: u64 = 1000;
pub const DEFAULT_VIEW_DEDUP_CAPACITY: usize = 3_000_000;
pub const DEFAULT_VIEW_RETENTION_DAYS: u32 = 35;
pub const DEFAULT_SEARCH_DIR: &str = "newsdesk-search";
pub const DEFAULT_MEDIA_DIR: &str = "newsdesk-media";
pub const DEFAULT_MEDIA_MAX_BYTES: usize = 25 << 20;
/// 50 megapixels: a full-frame camera's photo fits, a decompression bomb does not.
pub const DEFAULT_MEDIA_MAX_PIXELS: u64 = 50_000_000;
pub const DEFAULT_MEDIA_WIDTHS: &[u32] = &[320, 640, 1024, 1600, 2400];
pub const DEFAULT_WEBHOOK_TIMEOUT_SECS: u64 = 10;
pub const MIN_JWT_SECRET_LEN: usize = 32;
/// The JWT secret of [`Config::for_database`], for tests that start a real server on the
/// same database.
pub const TEST_JWT_SECRET: &str = "test-secret-of-at-least-thirty-two-bytes!";

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (the environment in production, a map in
    /// tests). Empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let database_url =
            DatabaseUrl::parse(&get("DATABASE_URL").unwrap_or_default()).map_err(|message| {
                ConfigError {
                    var: "DATABASE_URL",
                    message,
                }
            })?;
        let addr_raw = get("NEWSDESK_ADDR").unwrap_or_else(|| DEFAULT_ADDR.to_string());
        let addr: SocketAddr = addr_raw.trim().parse().map_err(|_| ConfigError {
            var: "NEWSDESK_ADDR",
            message: format!("{addr_raw:?} is not a socket address like 127.0.0.1:8080"),
        })?;
        let base_url = match get("NEWSDESK_BASE_URL") {
            Some(raw) => parse_base_url(&raw)?,
            None => format!("http://{addr}"),
        };
        let cache_max_age = parse_num(
            &get,
            "NEWSDESK_CACHE_MAX_AGE",
            DEFAULT_CACHE_MAX_AGE,
            0,
            86_400,
        )?;
        let cache_mb = parse_num(&get, "NEWSDESK_CACHE_MB", DEFAULT_CACHE_MB, 0, 65_536)?;
        let cors_origins = match lookup("NEWSDESK_CORS_ORIGINS") {
            None => CorsOrigins::Any,
            Some(raw) => parse_cors(&raw)?,
        };
        let pool_size = parse_num(&get, "NEWSDESK_DB_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 1_000)?;
        let db_timeout = Duration::from_secs(parse_num(
            &get,
            "NEWSDESK_DB_TIMEOUT",
            DEFAULT_DB_TIMEOUT_SECS,
            1,
            600,
        )?);
        let sqlite_mmap_mb = parse_num(
            &get,
            "NEWSDESK_SQLITE_MMAP_MB",
            MAX_SQLITE_MMAP_MB,
            0,
            MAX_SQLITE_MMAP_MB,
        )?;
        let default_workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let workers = parse_num(&get, "NEWSDESK_WORKERS", default_workers, 1, 1_024)?;
        let log_format = match get("NEWSDESK_LOG_FORMAT").as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError {
                    var: "NEWSDESK_LOG_FORMAT",
                    message: format!("{other:?} is neither `text` nor `json`"),
                });
            }
        };

        let jwt_secret = match lookup("NEWSDESK_JWT_SECRET") {
            None => None,
            Some(raw) if raw.len() >= MIN_JWT_SECRET_LEN => Some(SecretString::from(raw)),
            Some(_) => {
                return Err(ConfigError {
                    var: "NEWSDESK_JWT_SECRET",
                    message: format!("must be at least {MIN_JWT_SECRET_LEN} bytes long"),
                });
            }
        };
        let access_token_ttl = Duration::from_secs(parse_num(
            &get,
            "NEWSDESK_ACCESS_TOKEN_TTL",
            DEFAULT_ACCESS_TOKEN_TTL_SECS,
            30,
            24 * 3600,
        )?);
        let refresh_token_ttl = Duration::from_secs(parse_num(
            &get,
            "NEWSDESK_REFRESH_TOKEN_TTL",
            DEFAULT_REFRESH_TOKEN_TTL_SECS,
            60,
            365 * 24 * 3600,
        )?);
        let max_body = parse_num(&get, "NEWSDESK_MAX_BODY", DEFAULT_MAX_BODY, 1_024, 64 << 20)?;
        let bootstrap_admin = match (
            get("NEWSDESK_ADMIN_EMAIL"),
            lookup("NEWSDESK_ADMIN_PASSWORD"),
        ) {
            (None, None) => None,
            (Some(email), Some(password)) if !password.is_empty() => {
                Some((email.trim().to_string(), SecretString::from(password)))
            }
            (Some(_), _) => {
                return Err(ConfigError {
                    var: "NEWSDESK_ADMIN_PASSWORD",
                    message: "must be set together with NEWSDESK_ADMIN_EMAIL".into(),
                });
            }
            (None, Some(_)) => {
                return Err(ConfigError {
                    var: "NEWSDESK_ADMIN_EMAIL",
                    message: "must be set together with NEWSDESK_ADMIN_PASSWORD".into(),
                });
            }
        };
        let changes_delay = Duration::from_secs(parse_num(
            &get,
            "NEWSDESK_CHANGES_DELAY",
            DEFAULT_CHANGES_DELAY_SECS,
            0,
            600,
        )?);
        let signin_per_minute_ip =
            parse_num(&get, "NEWSDESK_SIGNIN_PER_MINUTE_IP", 20, 1, 100_000)?;
        let signin_per_minute_email =
            parse_num(&get, "NEWSDESK_SIGNIN_PER_MINUTE_EMAIL", 5, 1, 100_000)?;
        let trusted_proxies = match get("NEWSDESK_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(raw) => parse_proxies(&raw)?,
        };
        let view_window = Duration::from_secs(parse_num(
            &get,
            "NEWSDESK_VIEW_WINDOW",
            DEFAULT_VIEW_WINDOW_SECS,
            0,
            7 * 24 * 3600,
        )?);
        let view_flush = Duration::from_millis(parse_num(
            &get,
            "NEWSDESK_VIEW_FLUSH_MS",
            DEFAULT_VIEW_FLUSH_MS,
            10,
            60_000,
        )?);
        let view_dedup_capacity = parse_num(
            &get,
            "NEWSDESK_VIEW_DEDUP_CAPACITY",
            DEFAULT_VIEW_DEDUP_CAPACITY,
            1_000,
            1_000_000_000,
        )?;
        let view_retention_days = parse_num(
            &get,
            "NEWSDESK_VIEW_RETENTION_DAYS",
            DEFAULT_VIEW_RETENTION_DAYS,
            31,
            3650,
        )?;

        let search_dir = get("NEWSDESK_SEARCH_DIR").map(|d| PathBuf::from(d.trim()));
        let media = MediaConfig::from_lookup(&get)?;
        let allow_local = match get("NEWSDESK_WEBHOOKS_ALLOW_LOCAL")
            .as_deref()
            .map(str::trim)
        {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(other) => {
                return Err(ConfigError {
                    var: "NEWSDESK_WEBHOOKS_ALLOW_LOCAL",
                    message: format!("{other:?} is neither `true` nor `false`"),
                });
            }
        };
        let webhooks = WebhookConfig {
            allow_local,
            timeout: Duration::from_secs(parse_num(
                &get,
                "NEWSDESK_WEBHOOKS_TIMEOUT",
                DEFAULT_WEBHOOK_TIMEOUT_SECS,
                1,
                60,
            )?),
            pinned_hosts: Default::default(),
        };

        Ok(Config {
            search_dir,
            media,
            webhooks,
            jwt_secret,
            access_token_ttl,
            refresh_token_ttl,
            max_body,
            bootstrap_admin,
            changes_delay,
            signin_per_minute_ip,
            signin_per_minute_email,
            trusted_proxies,
            view_window,
            view_flush,
            view_dedup_capacity,
            view_retention_days,
            database_url,
            addr,
            base_url,
            cache_max_age,
            cache_mb,
            cors_origins,
            pool_size,
            db_timeout,
            sqlite_mmap_mb,
            workers,
            log_format,
        })
    }

    /// The database pool as this configuration asks for it, with `pool_size` connections.
    pub fn db(&self, pool_size: u32) -> crate::db::Db {
        crate::db::Db::new(
            &self.database_url,
            pool_size,
            self.db_timeout,
            self.sqlite_mmap_mb << 20,
        )
    }

    /// The search index's directory: `NEWSDESK_SEARCH_DIR`, else beside the SQLite file
    /// (`newsdesk.db` → `newsdesk-search`), else `newsdesk-search` in the working directory.
    pub fn search_dir(&self) -> PathBuf {
        self.data_dir(self.search_dir.as_ref(), "search", DEFAULT_SEARCH_DIR)
    }

    /// The local media store's directory: `NEWSDESK_MEDIA_DIR`, else beside the SQLite file
    /// (`newsdesk.db` → `newsdesk-media`), else `newsdesk-media` in the working directory.
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir(self.media.dir.as_ref(), "media", DEFAULT_MEDIA_DIR)
    }

    /// A directory of this process's data: the configured one, else `<stem>-<suffix>` beside
    /// the SQLite file, else `fallback` in the working directory.
    fn data_dir(&self, configured: Option<&PathBuf>, suffix: &str, fallback: &str) -> PathBuf {
        if let Some(dir) = configured {
            return dir.clone();
        }
        match self.database_url.sqlite_path() {
            Some(file) => {
                let file = Path::new(file);
                let stem = file
                    .file_stem()
                    .map_or("newsdesk".into(), |s| s.to_string_lossy());
                file.with_file_name(format!("{stem}-{suffix}"))
            }
            None => PathBuf::from(fallback),
        }
    }

    /// Where media files are served from, without a trailing slash.
    pub fn media_url(&self) -> String {
        match &self.media.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("{}/media", self.base_url.trim_end_matches('/')),
        }
    }

    /// A configuration for tests and tools: the given database, defaults elsewhere, no
    /// in-process cache.
    pub fn for_database(database_url: DatabaseUrl) -> Self {
        let mut config =
            Self::from_lookup(|_| None).expect("the built-in defaults are a valid configuration");
        config.database_url = database_url;
        config.base_url = "https://news.example.com".into();
        config.cache_mb = 0;
        config.pool_size = 4;
        config.jwt_secret = Some(SecretString::from(TEST_JWT_SECRET));
        config
    }
}

fn parse_num<T>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
    min: T,
    max: T,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let Some(raw) = get(var) else {
        return Ok(default);
    };
    match raw.trim().parse::<T>() {
        Ok(v) if v >= min && v <= max => Ok(v),
        _ => Err(ConfigError {
            var,
            message: format!("{raw:?} is not a whole number between {min} and {max}"),
        }),
    }
}

fn parse_base_url(raw: &str) -> Result<String, ConfigError> {
    let err = |message: String| ConfigError {
        var: "NEWSDESK_BASE_URL",
        message,
    };
    let url = url::Url::parse(raw.trim()).map_err(|e| err(format!("{raw:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(err(format!("{raw:?} must be an http(s) URL with a host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(err(format!("{raw:?} must not carry a query or fragment")));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Comma-separated addresses or CIDR ranges (`10.0.0.0/8, 127.0.0.1`).
fn parse_proxies(raw: &str) -> Result<Vec<IpNet>, ConfigError> {
    raw.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| ConfigError {
                    var: "NEWSDESK_TRUSTED_PROXIES",
                    message: format!("{p:?} is not an IP address or CIDR range"),
                })
        })
        .collect()
}

impl MediaConfig {
    fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let max_bytes = parse_num(
            get,
            "NEWSDESK_MEDIA_MAX_BYTES",
            DEFAULT_MEDIA_MAX_BYTES,
            1_024,
            1 << 30,
        )?;
        let max_pixels = parse_num(
            get,
            "NEWSDESK_MEDIA_MAX_PIXELS",
            DEFAULT_MEDIA_MAX_PIXELS,
            1_000,
            1_000_000_000,
        )?;
        let widths = match get("NEWSDESK_MEDIA_WIDTHS") {
            None => DEFAULT_MEDIA_WIDTHS.to_vec(),
            Some(raw) => parse_widths(&raw)?,
        };
        let public_url = match get("NEWSDESK_MEDIA_URL") {
            None => None,
            Some(raw) => Some(parse_url_var("NEWSDESK_MEDIA_URL", &raw)?),
        };
        let s3 = match get("NEWSDESK_MEDIA_S3_BUCKET") {
            None => None,
            Some(bucket) => Some(S3Config {
                bucket: bucket.trim().to_string(),
                endpoint: match get("NEWSDESK_MEDIA_S3_ENDPOINT") {
                    None => None,
                    Some(raw) => Some(parse_url_var("NEWSDESK_MEDIA_S3_ENDPOINT", &raw)?),
                },
                region: get("NEWSDESK_MEDIA_S3_REGION")
                    .map_or_else(|| "us-east-1".to_string(), |r| r.trim().to_string()),
                credentials: match (
                    get("NEWSDESK_MEDIA_S3_ACCESS_KEY_ID"),
                    get("NEWSDESK_MEDIA_S3_SECRET_ACCESS_KEY"),
                ) {
                    (None, None) => None,
                    (Some(id), Some(secret)) => {
                        Some((id.trim().to_string(), SecretString::from(secret)))
                    }
                    _ => {
                        return Err(ConfigError {
                            var: "NEWSDESK_MEDIA_S3_ACCESS_KEY_ID",
                            message: "must be set together with \
                                      NEWSDESK_MEDIA_S3_SECRET_ACCESS_KEY"
                                .into(),
                        });
                    }
                },
                prefix: get("NEWSDESK_MEDIA_S3_PREFIX")
                    .map(|p| p.trim().trim_matches('/').to_string())
                    .unwrap_or_default(),
            }),
        };
        Ok(MediaConfig {
            dir: get("NEWSDESK_MEDIA_DIR").map(|d| PathBuf::from(d.trim())),
            max_bytes,
            max_pixels,
            widths,
            public_url,
            s3,
        })
    }
}

/// Rendition widths: a comma-separated list of 16 to 8,192 pixels.
fn parse_widths(raw: &str) -> Result<Vec<u32>, ConfigError> {
    let err = |message: String| ConfigError {
        var: "NEWSDESK_MEDIA_WIDTHS",
        message,
    };
    let mut widths = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<u32>() {
            Ok(w) if (16..=8_192).contains(&w) => widths.push(w),
            _ => return Err(err(format!("{part:?} is not a width of 16 to 8192 pixels"))),
        }
    }
    widths.sort_unstable();
    widths.dedup();
    Ok(widths)
}

/// An absolute http(s) URL, kept without its trailing slash.
fn parse_url_var(var: &'static str, raw: &str) -> Result<String, ConfigError> {
    match url::Url::parse(raw.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(raw.trim().trim_end_matches('/').to_string())
        }
        _ => Err(ConfigError {
            var,
            message: format!("{raw:?} is not an absolute http(s) URL"),
        }),
    }
}

fn parse_cors(raw: &str) -> Result<CorsOrigins, ConfigError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(CorsOrigins::None);
    }
    if raw == "*" {
        return Ok(CorsOrigins::Any);
    }
    let mut origins = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let url = url::Url::parse(part).map_err(|_| ConfigError {
            var: "NEWSDESK_CORS_ORIGINS",
            message: format!("{part:?} is not an origin like https://news.example.com"),
        })?;
        let origin = url.origin().ascii_serialization();
        if origin == "null" || url.path() != "/" {
            return Err(ConfigError {
                var: "NEWSDESK_CORS_ORIGINS",
                message: format!("{part:?} is not an origin (scheme://host[:port], no path)"),
            });
        }
        origins.push(origin);
    }
    Ok(CorsOrigins::List(origins))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn with(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_sqlite_on_loopback() {
        let c = with(&[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, DatabaseUrl::sqlite("newsdesk.db"));
        assert_eq!(c.cors_origins, CorsOrigins::Any);
        assert_eq!(c.cache_max_age, DEFAULT_CACHE_MAX_AGE);
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        assert_eq!(c.sqlite_mmap_mb, MAX_SQLITE_MMAP_MB);
        assert_eq!(
            with(&[("NEWSDESK_SQLITE_MMAP_MB", "0")])
                .unwrap()
                .sqlite_mmap_mb,
            0
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (var, value) in [
            ("NEWSDESK_ADDR", "localhost"),
            ("NEWSDESK_CACHE_MAX_AGE", "-1"),
            ("NEWSDESK_DB_POOL_SIZE", "0"),
            ("NEWSDESK_SQLITE_MMAP_MB", "4096"),
            ("NEWSDESK_BASE_URL", "news.example.com"),
            ("NEWSDESK_CORS_ORIGINS", "https://a.example/path"),
            ("NEWSDESK_LOG_FORMAT", "xml"),
            ("DATABASE_URL", "mysql://localhost/x"),
            ("NEWSDESK_JWT_SECRET", "short"),
            ("NEWSDESK_MAX_BODY", "1"),
            ("NEWSDESK_TRUSTED_PROXIES", "10.0.0.0/33"),
        ] {
            let err = with(&[(var, value)]).unwrap_err();
            assert_eq!(err.var, var, "{value}");
            assert!(err.to_string().starts_with(var));
        }
    }

    #[test]
    fn admin_bootstrap_needs_both_variables() {
        let err = with(&[("NEWSDESK_ADMIN_EMAIL", "admin@example.com")]).unwrap_err();
        assert_eq!(err.var, "NEWSDESK_ADMIN_PASSWORD");
        assert!(err.message.contains("NEWSDESK_ADMIN_EMAIL"));
        let err = with(&[("NEWSDESK_ADMIN_PASSWORD", "x")]).unwrap_err();
        assert_eq!(err.var, "NEWSDESK_ADMIN_EMAIL");
    }

    #[test]
    fn secrets_and_proxies() {
        let c = with(&[
            ("NEWSDESK_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
            ("NEWSDESK_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
        ])
        .unwrap();
        assert_eq!(
            c.jwt_secret.as_ref().map(|s| s.expose_secret().len()),
            Some(32)
        );
        assert_eq!(c.trusted_proxies.len(), 2);
        assert!(
            !format!("{c:?}").contains("0123456789abcdef"),
            "secrets are not printed"
        );
    }

    #[test]
    fn cors_list_and_base_url_are_normalized() {
        let c = with(&[
            (
                "NEWSDESK_CORS_ORIGINS",
                "https://a.example, http://b.example:8080",
            ),
            ("NEWSDESK_BASE_URL", "https://news.example.com/"),
        ])
        .unwrap();
        assert_eq!(
            c.cors_origins,
            CorsOrigins::List(vec![
                "https://a.example".into(),
                "http://b.example:8080".into()
            ])
        );
        assert_eq!(c.base_url, "https://news.example.com");
    }

    #[test]
    fn database_url_schemes() {
        let pg = DatabaseUrl::parse("postgres://u@127.0.0.1/db").unwrap();
        assert_eq!(pg.backend(), crate::db::Backend::Postgres);
        let pg = DatabaseUrl::parse("postgresql://u:secret@127.0.0.1/db").unwrap();
        assert!(!pg.redacted().contains("secret"));
        assert_eq!(
            DatabaseUrl::parse("sqlite://x.db").unwrap(),
            DatabaseUrl::sqlite("x.db")
        );
        assert_eq!(
            DatabaseUrl::parse("data/x.db").unwrap(),
            DatabaseUrl::sqlite("data/x.db")
        );
        assert_eq!(
            DatabaseUrl::parse("").unwrap(),
            DatabaseUrl::sqlite("newsdesk.db")
        );
    }
}

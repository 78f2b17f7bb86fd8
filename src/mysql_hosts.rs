//! Several hosts for one MySQL-compatible database (a MariaDB Galera cluster, or any
//! primary/replica set behind one schema), and the retry policy both users of MySQL share: the
//! till's central database ([`crate::sync::Central`]) and the payment server's intent store
//! ([`crate::pay_web::mysql_store`]).
//!
//! `mysql_async` takes one host per pool, so failover is a list of pools: [`Hosts`] keeps one
//! per host and the index of the one in use. A statement that fails because of the node (the
//! connection refused, reset or silent, the server shutting down, a Galera node not ready or
//! outside the primary component: [`Fault::Node`]) moves the caller to the next host at once, and
//! the same unit of work is tried there; the new host stays in use (no flapping back to the
//! first). A certification conflict or a deadlock (1213), or a lock wait timeout (1205), rolled
//! the whole transaction back: [`Fault::Contention`] runs it again on the same host after a short
//! jittered back-off, up to [`CONTENTION_ATTEMPTS`] times. Everything else is the caller's to
//! judge ([`Fault::Other`]).
//!
//! Every unit of work run through this policy must be safe to run twice: a commit whose answer
//! was lost may have been applied by the node that died. The central writes are upserts keyed
//! by UUID or per-till sequence, the catalogue import is an upsert, and the staff writes check
//! what is there first; the payment store's transactions are compare-and-sets.
//!
//! Written here rather than taken from a crate: no maintained crate does host failover for
//! `mysql_async`; the back-off schedule itself is `backon`'s.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

/// Attempts of one unit of work that keeps losing a certification conflict or a deadlock.
pub const CONTENTION_ATTEMPTS: usize = 6;
/// A connection to a host that does not answer within this is given up for the next host (a
/// healthy host on a LAN answers in milliseconds; a dead one must not hold a till for long).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// What kind of failure a MySQL error is, for the retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The node cannot serve now; another host may.
    Node,
    /// The transaction lost a conflict and was rolled back whole; run it again.
    Contention,
    /// About the statement or the data: the same on every host.
    Other,
}

/// MySQL / MariaDB / Galera server error codes the policy knows.
pub mod codes {
    /// `ER_LOCK_WAIT_TIMEOUT`.
    pub const LOCK_WAIT_TIMEOUT: u16 = 1205;
    /// `ER_LOCK_DEADLOCK`: a deadlock, or a Galera certification conflict.
    pub const LOCK_DEADLOCK: u16 = 1213;
    /// `ER_UNKNOWN_COM_ERROR`: Galera's "WSREP has not yet prepared node for application use".
    pub const WSREP_NOT_READY: u16 = 1047;
    /// `ER_ERROR_DURING_COMMIT`: a commit cut off from the primary component.
    pub const ERROR_DURING_COMMIT: u16 = 1180;
    /// `ER_SERVER_SHUTDOWN`.
    pub const SERVER_SHUTDOWN: u16 = 1053;
    /// `ER_CON_COUNT_ERROR`: too many connections on this node.
    pub const TOO_MANY_CONNECTIONS: u16 = 1040;
    /// `ER_CONNECTION_KILLED`.
    pub const CONNECTION_KILLED: u16 = 1927;
    /// `ER_OPTION_PREVENTS_STATEMENT`: e.g. a node switched to read-only.
    pub const READ_ONLY: u16 = 1290;
}

/// Classifies a `mysql_async` error.
pub fn classify(e: &mysql_async::Error) -> Fault {
    match e {
        mysql_async::Error::Server(s) => classify_code(s.code),
        // Refused, reset, closed, timed out, TLS failures: the link or the node.
        mysql_async::Error::Io(_) | mysql_async::Error::Driver(_) => Fault::Node,
        mysql_async::Error::Other(_) | mysql_async::Error::Url(_) => Fault::Other,
    }
}

/// Classifies a server error code.
pub fn classify_code(code: u16) -> Fault {
    use codes::*;
    match code {
        LOCK_DEADLOCK | LOCK_WAIT_TIMEOUT => Fault::Contention,
        WSREP_NOT_READY | ERROR_DURING_COMMIT | SERVER_SHUTDOWN | TOO_MANY_CONNECTIONS
        | CONNECTION_KILLED | READ_ONLY => Fault::Node,
        _ => Fault::Other,
    }
}

/// The back-off between two attempts of a unit of work that lost a conflict: 20 ms doubling to
/// at most 400 ms, with jitter so two writers that collided do not collide again in step.
pub fn contention_backoff() -> impl Iterator<Item = Duration> {
    ExponentialBuilder::default()
        .with_jitter()
        .with_min_delay(Duration::from_millis(20))
        .with_max_delay(Duration::from_millis(400))
        .with_max_times(CONTENTION_ATTEMPTS - 1)
        .build()
}

/// A MySQL URL cut around its list of hosts: `scheme://user@` + hosts + `/database?options`.
struct Parts<'a> {
    scheme: &'a str,
    user: &'a str,
    hosts: Vec<&'a str>,
    tail: &'a str,
}

fn parts<'a>(url: &'a str, extra: &'a [String]) -> Result<Parts<'a>, String> {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("not a URL (expected mysql://user:password@host:port/database)".into());
    };
    // The authority ends at the first '/', '?' or '#' after the user part.
    let user_end = rest.rfind('@').map_or(0, |i| i + 1);
    let tail_at = rest[user_end..]
        .find(['/', '?', '#'])
        .map_or(rest.len(), |i| user_end + i);
    let mut hosts: Vec<&str> = Vec::new();
    let listed = rest[user_end..tail_at].split(',').map(str::trim);
    for host in listed.chain(extra.iter().map(|h| h.trim())) {
        check_host(host)?;
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    Ok(Parts {
        scheme,
        user: &rest[..user_end],
        hosts,
        tail: &rest[tail_at..],
    })
}

/// Whether `host` is one host (`host` or `host:port`) and nothing more.
pub fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("an empty host in the list of hosts".into());
    }
    if host.contains(['/', '@', ' ', '?', '#', ',']) {
        return Err(format!(
            "{host:?} is not a host (expected host or host:port)"
        ));
    }
    Ok(())
}

/// Splits a MySQL URL that names several hosts (`mysql://user:pw@h1:3306,h2:3306,h3/db?opts`)
/// into one URL per host, then adds `extra` hosts (`host` or `host:port`, e.g. from
/// `central.hosts`) with the same user, database and options. Duplicates are dropped; the order
/// is the order of preference.
pub fn split_hosts(url: &str, extra: &[String]) -> Result<Vec<String>, String> {
    let p = parts(url, extra)?;
    Ok(p.hosts
        .iter()
        .map(|h| format!("{}://{}{h}{}", p.scheme, p.user, p.tail))
        .collect())
}

/// `url` with `extra` hosts added to its list: one URL naming every host.
pub fn with_hosts(url: &str, extra: &[String]) -> Result<String, String> {
    let p = parts(url, extra)?;
    Ok(format!(
        "{}://{}{}{}",
        p.scheme,
        p.user,
        p.hosts.join(","),
        p.tail
    ))
}

/// The `host:port` of a one-host URL, for logs and errors (never the password).
pub fn host_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => "(no host)".to_owned(),
        },
        Err(_) => "(unparsable host)".to_owned(),
    }
}

/// One pool per host and the host in use.
pub struct Hosts {
    nodes: Vec<(String, mysql_async::Pool)>,
    current: AtomicUsize,
}

impl Hosts {
    /// `nodes`: each host's label and pool, in order of preference (never empty).
    pub fn new(nodes: Vec<(String, mysql_async::Pool)>) -> Hosts {
        assert!(!nodes.is_empty(), "Hosts needs at least one host");
        Hosts {
            nodes,
            current: AtomicUsize::new(0),
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The index of the host in use.
    pub fn current(&self) -> usize {
        self.current.load(Ordering::Relaxed) % self.nodes.len()
    }

    pub fn pool(&self, i: usize) -> &mysql_async::Pool {
        &self.nodes[i % self.nodes.len()].1
    }

    pub fn label(&self, i: usize) -> &str {
        &self.nodes[i % self.nodes.len()].0
    }

    pub fn labels(&self) -> Vec<String> {
        self.nodes.iter().map(|(l, _)| l.clone()).collect()
    }

    /// Host `failed` could not serve: the next one is used from now on, unless another caller
    /// has moved on already. Returns the index to try next.
    pub fn move_on(&self, failed: usize) -> usize {
        let next = (failed + 1) % self.nodes.len();
        let _ = self
            .current
            .compare_exchange(failed, next, Ordering::Relaxed, Ordering::Relaxed);
        next
    }

    /// Host `i` answered: it stays in use.
    pub fn settle(&self, i: usize) {
        self.current.store(i, Ordering::Relaxed);
    }

    /// Every pool, to disconnect them.
    pub fn pools(&self) -> impl Iterator<Item = &mysql_async::Pool> {
        self.nodes.iter().map(|(_, p)| p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_url_per_host_with_the_same_user_database_and_options() {
        let urls = split_hosts(
            "mysql://till:s3cr%40t@db1:3306,db2:3307, db3/kaching?pool_max=4",
            &["db4:3310".into(), "db2:3307".into()],
        )
        .unwrap();
        assert_eq!(
            urls,
            [
                "mysql://till:s3cr%40t@db1:3306/kaching?pool_max=4",
                "mysql://till:s3cr%40t@db2:3307/kaching?pool_max=4",
                "mysql://till:s3cr%40t@db3/kaching?pool_max=4",
                "mysql://till:s3cr%40t@db4:3310/kaching?pool_max=4",
            ]
        );
        assert_eq!(host_of(&urls[1]), "db2:3307");
        assert_eq!(
            with_hosts("mysql://u:p@db1/k?x=1", &["db2:3307".into()]).unwrap(),
            "mysql://u:p@db1,db2:3307/k?x=1"
        );
        assert_eq!(host_of(&urls[2]), "db3");
    }

    #[test]
    fn a_one_host_url_is_unchanged_and_needs_no_user() {
        assert_eq!(
            split_hosts("mysql://127.0.0.1:3306/db", &[]).unwrap(),
            ["mysql://127.0.0.1:3306/db"]
        );
        assert_eq!(
            split_hosts("mysql://root@h", &[]).unwrap(),
            ["mysql://root@h"]
        );
    }

    #[test]
    fn bad_host_lists_are_refused_with_a_reason() {
        assert!(
            split_hosts("db1,db2", &[])
                .unwrap_err()
                .contains("not a URL")
        );
        assert!(
            split_hosts("mysql://u@db1,,db2/x", &[])
                .unwrap_err()
                .contains("empty host")
        );
        assert!(
            split_hosts("mysql://u@db1/x", &["db2/other".into()])
                .unwrap_err()
                .contains("not a host")
        );
    }

    #[test]
    fn galera_and_link_failures_move_on_conflicts_retry_the_rest_is_the_callers() {
        assert_eq!(classify_code(1213), Fault::Contention);
        assert_eq!(classify_code(1205), Fault::Contention);
        for code in [1047, 1180, 1053, 1040, 1927, 1290] {
            assert_eq!(classify_code(code), Fault::Node, "{code}");
        }
        for code in [1062, 1048, 1146, 1054, 1045] {
            assert_eq!(classify_code(code), Fault::Other, "{code}");
        }
        let io = mysql_async::Error::Io(mysql_async::IoError::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionRefused,
        )));
        assert_eq!(classify(&io), Fault::Node);
    }

    #[test]
    fn the_back_off_is_bounded() {
        let delays: Vec<Duration> = contention_backoff().collect();
        assert_eq!(delays.len(), CONTENTION_ATTEMPTS - 1);
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(800)));
    }

    #[test]
    fn moving_on_wraps_and_a_late_caller_does_not_skip_a_host() {
        let pool = |p: u16| {
            mysql_async::Pool::new(
                mysql_async::OptsBuilder::default()
                    .ip_or_hostname("127.0.0.1")
                    .tcp_port(p),
            )
        };
        let hosts = Hosts::new(vec![
            ("a".into(), pool(1)),
            ("b".into(), pool(2)),
            ("c".into(), pool(3)),
        ]);
        assert_eq!(hosts.current(), 0);
        assert_eq!(hosts.move_on(0), 1);
        assert_eq!(hosts.current(), 1);
        // A second caller that also saw host 0 fail does not push the till past host 1.
        assert_eq!(hosts.move_on(0), 1);
        assert_eq!(hosts.current(), 1);
        assert_eq!(hosts.move_on(1), 2);
        assert_eq!(hosts.move_on(2), 0);
        assert_eq!(hosts.current(), 0);
        hosts.settle(2);
        assert_eq!(hosts.label(hosts.current()), "c");
    }
}

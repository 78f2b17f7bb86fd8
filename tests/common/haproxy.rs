//! HAProxy in front of several real `kaching pay-server` processes on one MySQL/MariaDB
//! database: how a shop scales its payment servers out (README, "Several payment servers behind
//! HAProxy"). HAProxy (Debian package `haproxy`, installed by scripts/setup.sh) runs in the
//! foreground (`-db`) with a generated configuration on free loopback ports, and is killed at the
//! end; its admin socket tells the servers' health as HAProxy sees it.
//!
//! Used by tests/pay_haproxy.rs and benches/load_pay.rs.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How HAProxy checks each server's `/healthz`: every `inter` (also the check's timeout), `fall`
/// failures take a server out, 2 successes put it back.
#[derive(Debug, Clone, Copy)]
pub struct Checks {
    pub inter: &'static str,
    pub fall: u32,
}

/// Quick checks for the tests: a dead server is out within a second.
pub const TEST_CHECKS: Checks = Checks {
    inter: "300ms",
    fall: 2,
};
/// The README's production figures: a server slow under load is not taken out for one late
/// answer.
pub const README_CHECKS: Checks = Checks {
    inter: "2s",
    fall: 3,
};

/// The HAProxy binary: `haproxy` on the PATH, else Debian's /usr/sbin/haproxy. Missing is a
/// failure, never a skip.
pub fn binary() -> PathBuf {
    for dir in std::env::var("PATH").unwrap_or_default().split(':') {
        let p = Path::new(dir).join("haproxy");
        if p.is_file() {
            return p;
        }
    }
    let sbin = PathBuf::from("/usr/sbin/haproxy");
    assert!(
        sbin.is_file(),
        "HAProxy is not installed: run scripts/setup.sh test (apt-get install haproxy)"
    );
    sbin
}

/// The configuration the README documents, on loopback, with `checks`.
pub fn config(
    frontend: SocketAddr,
    backends: &[SocketAddr],
    admin_socket: &Path,
    checks: Checks,
) -> String {
    let servers: String = backends
        .iter()
        .enumerate()
        .map(|(i, a)| format!("    server pay{} {a}\n", i + 1))
        .collect();
    format!(
        "global
    maxconn 4096
    stats socket {socket} mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout tunnel 1h
    timeout http-keep-alive 10s
    retries 3
    option redispatch 1

frontend pay
    bind {frontend}
    option forwardfor
    default_backend pay_servers

backend pay_servers
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server check inter {inter} fall {fall} rise 2
{servers}",
        socket = admin_socket.display(),
        inter = checks.inter,
        fall = checks.fall,
    )
}

/// A running HAProxy, killed on drop.
pub struct Haproxy {
    child: Child,
    dir: tempfile::TempDir,
    pub addr: SocketAddr,
    pub url: String,
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Haproxy {
    /// Starts HAProxy on `127.0.0.1:port` in front of `backends` with the tests' quick checks,
    /// and waits until it listens.
    pub fn start(port: u16, backends: &[SocketAddr]) -> Haproxy {
        Haproxy::start_with(port, backends, TEST_CHECKS)
    }

    /// [`Haproxy::start`] with other health checks.
    #[allow(clippy::zombie_processes)] // Drop kills and waits for it.
    pub fn start_with(port: u16, backends: &[SocketAddr], checks: Checks) -> Haproxy {
        let dir = tempfile::tempdir().unwrap();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let cfg = dir.path().join("haproxy.cfg");
        std::fs::write(
            &cfg,
            config(addr, backends, &dir.path().join("admin.sock"), checks),
        )
        .unwrap();
        let check = Command::new(binary())
            .args(["-c", "-q", "-f"])
            .arg(&cfg)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "haproxy -c refused the configuration: {}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        let child = Command::new(binary())
            .arg("-db")
            .arg("-f")
            .arg(&cfg)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn haproxy");
        let proxy = Haproxy {
            child,
            dir,
            addr,
            url: format!("http://{addr}"),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(addr).is_err() || !proxy.admin_socket().exists() {
            assert!(
                Instant::now() < deadline,
                "haproxy did not listen on {addr}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        proxy
    }

    fn admin_socket(&self) -> PathBuf {
        self.dir.path().join("admin.sock")
    }

    /// A command on the admin socket, and its answer.
    pub fn admin(&self, command: &str) -> String {
        let mut s = UnixStream::connect(self.admin_socket()).expect("haproxy admin socket");
        s.write_all(format!("{command}\n").as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    /// Each server of the backend with its state as HAProxy sees it (`UP`, `DOWN`, `UP 1/2`…),
    /// its retries and its redispatches.
    pub fn servers(&self) -> Vec<ServerStat> {
        let csv = self.admin("show stat");
        let mut lines = csv.lines();
        let header: Vec<&str> = lines
            .next()
            .unwrap_or_default()
            .trim_start_matches("# ")
            .split(',')
            .collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("no {name} in haproxy's stats: {csv}"))
        };
        let (px, sv, status, retr, redis) = (
            col("pxname"),
            col("svname"),
            col("status"),
            col("wretr"),
            col("wredis"),
        );
        lines
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| f.len() > redis && f[px] == "pay_servers" && f[sv].starts_with("pay"))
            .map(|f| ServerStat {
                name: f[sv].to_owned(),
                status: f[status].to_owned(),
                retries: f[retr].parse().unwrap_or(0),
                redispatches: f[redis].parse().unwrap_or(0),
            })
            .collect()
    }

    /// The state of server `pay<n>` (1-based).
    pub fn status_of(&self, n: usize) -> String {
        let name = format!("pay{n}");
        self.servers()
            .into_iter()
            .find(|s| s.name == name)
            .map(|s| s.status)
            .unwrap_or_else(|| panic!("no {name} in haproxy's stats"))
    }

    /// Waits until server `pay<n>` is exactly `want` (`UP` or `DOWN`); panics after `within`.
    pub fn wait_status(&self, n: usize, want: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let now = self.status_of(n);
            if now == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "haproxy still sees pay{n} as {now}, not {want}, after {within:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[derive(Debug, Clone)]
pub struct ServerStat {
    pub name: String,
    pub status: String,
    pub retries: u64,
    pub redispatches: u64,
}

/// One `kaching pay-server` process of a [`PayFleet`].
pub struct PayProcess {
    child: Option<Child>,
    pub addr: SocketAddr,
    pub url: String,
    /// Its stderr (the log).
    pub log: PathBuf,
}

/// Several `kaching pay-server` processes sharing one database, `till-1` registered.
pub struct PayFleet {
    dir: tempfile::TempDir,
    pub servers: Vec<PayProcess>,
    /// till-1's secret.
    pub secret: String,
}

impl Drop for PayFleet {
    fn drop(&mut self) {
        for s in &mut self.servers {
            if let Some(mut c) = s.child.take() {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
    }
}

impl PayFleet {
    /// Registers till-1 on `database`, then starts one pay-server per database URL of
    /// `databases` (all the same database, possibly through different routes), each with
    /// `env` on top, and waits until each answers `/healthz`.
    #[allow(clippy::zombie_processes)] // Drop kills and waits for them.
    pub fn start(databases: &[String], env: &[(&str, String)]) -> PayFleet {
        let dir = tempfile::tempdir().unwrap();
        let mut add = super::kaching(dir.path());
        add.args(["pay-server", "till", "add", "till-1"])
            .env("KACHING_PAY_SERVER__DATABASE", &databases[0]);
        let add = super::run_cmd(add, "");
        assert!(add.status.success(), "till add: {}", super::stderr(&add));
        let secret = super::stdout(&add).trim().to_owned();
        assert_eq!(secret.len(), 64, "{secret}");
        let mut servers = Vec::new();
        for (i, db) in databases.iter().enumerate() {
            let port = super::free_port();
            let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
            let log = dir.path().join(format!("pay{}.log", i + 1));
            let child = super::kaching(dir.path())
                .arg("pay-server")
                .env("KACHING_PAY_SERVER__BIND", addr.to_string())
                .env("KACHING_PAY_SERVER__DATABASE", db)
                .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap())
                .spawn()
                .unwrap();
            servers.push(PayProcess {
                child: Some(child),
                addr,
                url: format!("http://{addr}"),
                log,
            });
        }
        let fleet = PayFleet {
            dir,
            servers,
            secret,
        };
        for s in &fleet.servers {
            fleet.wait_healthy(s);
        }
        fleet
    }

    fn wait_healthy(&self, s: &PayProcess) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let health = format!("{}/healthz", s.url);
        loop {
            if let Ok(r) = super::http().get(&health).call()
                && r.status() == 200
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "pay-server {} did not become healthy: {}",
                s.url,
                std::fs::read_to_string(&s.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.servers.iter().map(|s| s.addr).collect()
    }

    /// Kills server `i` (0-based) with SIGKILL: no goodbye to its open connections.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut c) = self.servers[i].child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Server `i`'s log so far, without terminal colours.
    pub fn log(&self, i: usize) -> String {
        strip_ansi(&std::fs::read_to_string(&self.servers[i].log).unwrap_or_default())
    }

    /// The `ERROR` lines of server `i`'s log, without their time stamps, counted by text.
    pub fn errors(&self, i: usize) -> Vec<(usize, String)> {
        let mut counted: Vec<(usize, String)> = Vec::new();
        for line in self.log(i).lines().filter(|l| l.contains("ERROR")) {
            let text = line[line.find("ERROR").unwrap_or(0)..].to_owned();
            match counted.iter_mut().find(|(_, t)| *t == text) {
                Some((n, _)) => *n += 1,
                None => counted.push((1, text)),
            }
        }
        counted
    }

    /// Server `i`'s open event streams (`kaching_pay_event_streams` of its `/metrics`).
    pub fn open_streams(&self, i: usize) -> i64 {
        let (status, text) = super::get(&format!("{}/metrics", self.servers[i].url));
        assert_eq!(status, 200, "{text}");
        text.lines()
            .find_map(|l| l.strip_prefix("kaching_pay_event_streams "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no event_streams gauge in {text}"))
    }
}

/// Drops terminal colour sequences (`ESC [ … m`).
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One HTTP/1.1 request from the local address `from` (any of 127/8 is this machine: each
/// stands for another customer) to `to`; returns the status. `Connection: close`.
pub fn request_from(
    from: IpAddr,
    to: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> u16 {
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(to),
        socket2::Type::STREAM,
        None,
    )
    .unwrap();
    socket
        .bind(&SocketAddr::new(from, 0).into())
        .unwrap_or_else(|e| panic!("bind {from}: {e}"));
    socket
        .connect_timeout(&to.into(), Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("connect {to} from {from}: {e}"));
    let mut stream: TcpStream = socket.into();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("Content-Length: 0\r\n\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let head = String::from_utf8_lossy(&answer);
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer from {to}: {head:?}"))
}

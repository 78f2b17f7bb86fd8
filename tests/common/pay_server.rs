//! A real `kaching pay-server` process on a loopback port, with `till-1` registered: the
//! hosted payment server as a till on the shop's network sees it.

use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Killed on drop.
pub struct PayServer {
    _dir: tempfile::TempDir,
    child: Child,
    pub addr: SocketAddr,
    pub url: String,
    /// till-1's secret (`KACHING_PAYMENT__TILL_SECRET`).
    pub secret: String,
}

impl Drop for PayServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl PayServer {
    /// Starts it and waits until `/healthz` answers.
    pub fn start() -> PayServer {
        PayServer::start_with(|_| Vec::new())
    }

    /// [`PayServer::start`] with extra environment variables, given the address it will bind
    /// (e.g. a provider's callback URL).
    #[allow(clippy::zombie_processes)] // Drop kills and waits for it.
    pub fn start_with(env: impl FnOnce(SocketAddr) -> Vec<(String, String)>) -> PayServer {
        let dir = tempfile::tempdir().unwrap();
        let add = super::run(dir.path(), &["pay-server", "till", "add", "till-1"], "");
        assert!(add.status.success(), "till add: {}", super::stderr(&add));
        let secret = super::stdout(&add).trim().to_owned();
        assert_eq!(secret.len(), 64, "{secret}");
        let port = super::free_port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let child = super::kaching(dir.path())
            .arg("pay-server")
            .envs(env(addr))
            .env("KACHING_PAY_SERVER__BIND", addr.to_string())
            // The phone's and the till's requests all come from 127.0.0.1: no rate limit here.
            .env("KACHING_PAY_SERVER__RATE_PER_SECOND", "100000")
            .env("KACHING_PAY_SERVER__RATE_BURST", "100000")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let server = PayServer {
            _dir: dir,
            child,
            addr,
            url: format!("http://{addr}"),
            secret,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(addr).is_ok() {
                assert_eq!(super::get(&format!("{}/healthz", server.url)).0, 200);
                return server;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("pay-server on {addr} did not start");
    }
}

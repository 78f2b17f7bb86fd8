//! A real `kaching pay-server` process on a loopback port, with `till-1` registered: the
//! hosted payment server as a till on the shop's network sees it.

use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Killed on drop.
pub struct PayServer {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
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
        let env = env(addr);
        let child = spawn(dir.path(), addr, &env);
        let server = PayServer {
            dir,
            env,
            child,
            addr,
            url: format!("http://{addr}"),
            secret,
        };
        server.wait_ready();
        server
    }

    /// Kills it (SIGKILL: no goodbye) and starts it again on the same database and address.
    #[allow(clippy::zombie_processes)] // the old child is waited for; Drop kills the new one.
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.child = spawn(self.dir.path(), self.addr, &self.env);
        self.wait_ready();
    }

    /// Kills it (SIGKILL): the server is down until [`PayServer::start_again`].
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again after [`PayServer::stop`], on the same database and address.
    #[allow(clippy::zombie_processes)] // Drop kills the new child.
    pub fn start_again(&mut self) {
        self.child = spawn(self.dir.path(), self.addr, &self.env);
        self.wait_ready();
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(self.addr).is_ok() {
                assert_eq!(super::get(&format!("{}/healthz", self.url)).0, 200);
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("pay-server on {} did not start", self.addr);
    }
}

fn spawn(dir: &std::path::Path, addr: SocketAddr, env: &[(String, String)]) -> Child {
    super::kaching(dir)
        .arg("pay-server")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("KACHING_PAY_SERVER__BIND", addr.to_string())
        // The phone's and the till's requests all come from 127.0.0.1: no rate limit here.
        .env("KACHING_PAY_SERVER__RATE_PER_SECOND", "100000")
        .env("KACHING_PAY_SERVER__RATE_BURST", "100000")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

/// The pay-server's path for Payconiq's callbacks.
pub const CALLBACK_PATH: &str = "/api/v1/providers/payconiq/callback";

/// A real `kaching pay-server` using the simulator `sim` as its Payconiq (API key `key`,
/// payment profile `profile`), its callback URL on its own address.
pub fn payconiq(sim: &super::payconiq_sim::PayconiqSim, key: &str, profile: &str) -> PayServer {
    let (api_url, jwks_url) = (sim.url.clone(), sim.jwks_url());
    let (key, profile) = (key.to_owned(), profile.to_owned());
    PayServer::start_with(move |addr| {
        [
            ("KACHING_PAY_SERVER__PROVIDER", "payconiq".to_owned()),
            ("KACHING_PAY_SERVER__PAYCONIQ__API_URL", api_url),
            ("KACHING_PAY_SERVER__PAYCONIQ__JWKS_URL", jwks_url),
            ("KACHING_PAY_SERVER__PAYCONIQ__PAYMENT_PROFILE_ID", profile),
            (
                "KACHING_PAY_SERVER__PAYCONIQ__CALLBACK_URL",
                format!("http://{addr}{CALLBACK_PATH}"),
            ),
            ("KACHING_PAY_SERVER__PAYCONIQ__API_KEY", key),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    })
}

/// A valid intent of one line for `amount_cents`, with a fresh id (four-byte UTF-8 in the shop's
/// name: the stores must keep it).
pub fn new_intent(amount_cents: i64) -> kaching::pay_web::api::NewIntent {
    kaching::pay_web::api::NewIntent {
        id: uuid::Uuid::now_v7(),
        amount_cents,
        account: "main".into(),
        seller: "Khadija".into(),
        shop_name: "KACHING — Saint-Gilles 🥐".into(),
        lines: vec![kaching::pay_web::api::IntentLine {
            name: "Pain au chocolat".into(),
            qty: 1,
            total_cents: amount_cents,
        }],
    }
}

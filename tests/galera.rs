//! A three-node MariaDB Galera cluster on this machine as the central database (issue 16).
//! Opt-in (it starts three `mariadbd`, takes about two minutes and needs root, galera-4 and
//! rsync): `cargo test --test galera -- --ignored --nocapture`. Not run by the suite: it shows as
//! ignored there, never as passed.
//!
//! Two tills list all three nodes, each in its own order (till A: n1, n2, n3; till B: n2, n3,
//! n1). The node A uses is killed (SIGKILL) while both sell, then restarted; then the node both
//! use is killed and restarted. Every sale must be in the cluster within 5 s of its commit while
//! another node is up, and at the end every node holds every sale exactly once, with the same
//! checksum. Then 30 catalogue imports run at once through two nodes: certification conflicts
//! on the shared version row are retried, none fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GALERA: &str = "/usr/lib/galera/libgalera_smm.so";
/// How long a sale may wait for the cluster while another node is up.
const MAX_WAIT: Duration = Duration::from_secs(5);
/// Galera's failure detection. With its defaults a node killed outright stalls every commit of
/// the cluster, on every node, until it is declared dead: measured here, 6.4 s (the 5 s
/// `evs.suspect_timeout` plus the view change). That is the cluster's own wait, not the till's;
/// a shop's cluster on one LAN can suspect a silent node sooner, as here (and as the README
/// says).
const EVS: &str = "evs.suspect_timeout=PT2S;evs.inactive_timeout=PT3S;\
                   evs.inactive_check_period=PT0.5S;evs.keepalive_period=PT0.5S";

struct Node {
    name: String,
    dir: PathBuf,
    port: u16,
    child: Option<Child>,
}

impl Node {
    fn cnf(&self) -> PathBuf {
        self.dir.join("my.cnf")
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("mysqld.sock")
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn start(&mut self, bootstrap: bool) {
        let mut c = Command::new("/usr/sbin/mariadbd");
        c.arg(format!("--defaults-file={}", self.cnf().display()));
        if bootstrap {
            c.arg("--wsrep-new-cluster");
        }
        c.stdout(Stdio::null()).stderr(Stdio::null());
        self.child = Some(c.spawn().expect("mariadbd starts"));
    }

    /// SIGKILL: a power cut as the node sees it.
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Runs SQL through the node's socket as root; `None` when the node does not answer.
    fn sql(&self, sql: &str) -> Option<String> {
        let o = Command::new("mariadb")
            .arg("--no-defaults")
            .arg(format!("--socket={}", self.socket().display()))
            .args(["-uroot", "-N", "-B", "--connect-timeout=2", "-e", sql])
            .output()
            .ok()?;
        o.status
            .success()
            .then(|| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    }

    fn status(&self, var: &str) -> Option<String> {
        self.sql(&format!("SHOW STATUS LIKE '{var}'"))
            .and_then(|l| l.split('\t').nth(1).map(str::to_owned))
    }

    /// Waits until the node is Synced in a primary component of `size` nodes.
    fn wait_synced(&self, size: usize) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let state = self.status("wsrep_local_state_comment");
            let cluster = self.status("wsrep_cluster_size");
            if state.as_deref() == Some("Synced") && cluster == Some(size.to_string()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{} not synced (state {state:?}, cluster size {cluster:?}); its log: {}",
                self.name,
                std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn int(&self, sql: &str) -> i64 {
        self.sql(sql)
            .unwrap_or_else(|| panic!("{} does not answer {sql}", self.name))
            .parse()
            .unwrap()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

fn chown_mysql(path: &Path) {
    let ok = Command::new("chown")
        .args(["-R", "mysql:mysql"])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "chown mysql {}", path.display());
}

/// Three nodes' configurations on free ports, each datadir initialised.
fn cluster(base: &Path) -> Vec<Node> {
    let ports: Vec<[u16; 4]> = (0..3)
        .map(|_| {
            [
                common::free_port(),
                common::free_port(),
                common::free_port(),
                common::free_port(),
            ]
        })
        .collect();
    let gcomm: Vec<String> = ports
        .iter()
        .map(|p| format!("127.0.0.1:{}", p[1]))
        .collect();
    let mut nodes = Vec::new();
    for (i, [port, gport, ist, sst]) in ports.iter().enumerate() {
        let name = format!("n{}", i + 1);
        let dir = base.join(&name);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let d = dir.display();
        std::fs::write(
            dir.join("my.cnf"),
            format!(
                "[mysqld]\n\
                 user=mysql\n\
                 datadir={d}/data\n\
                 socket={d}/mysqld.sock\n\
                 pid-file={d}/mysqld.pid\n\
                 log-error={d}/error.log\n\
                 port={port}\n\
                 bind-address=127.0.0.1\n\
                 skip-name-resolve\n\
                 binlog_format=ROW\n\
                 default_storage_engine=InnoDB\n\
                 innodb_autoinc_lock_mode=2\n\
                 innodb_buffer_pool_size=32M\n\
                 innodb_flush_log_at_trx_commit=2\n\
                 wsrep_on=ON\n\
                 wsrep_provider={GALERA}\n\
                 wsrep_cluster_name=kaching_test\n\
                 wsrep_cluster_address=gcomm://{gcomm}\n\
                 wsrep_node_name={name}\n\
                 wsrep_node_address=127.0.0.1:{gport}\n\
                 wsrep_provider_options=\"gmcast.listen_addr=tcp://127.0.0.1:{gport};ist.recv_addr=127.0.0.1:{ist};gcache.size=64M;{EVS}\"\n\
                 wsrep_sst_method=rsync\n\
                 wsrep_sst_receive_address=127.0.0.1:{sst}\n\
                 wsrep_mode=REQUIRED_PRIMARY_KEY,STRICT_REPLICATION\n",
                gcomm = gcomm.join(",")
            ),
        )
        .unwrap();
        chown_mysql(&dir);
        let o = Command::new("mariadb-install-db")
            .arg(format!("--defaults-file={d}/my.cnf"))
            .args(["--user=mysql", "--skip-test-db"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "mariadb-install-db: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        nodes.push(Node {
            name,
            dir,
            port: *port,
            child: None,
        });
    }
    nodes
}

fn url(nodes: &[&Node]) -> String {
    let hosts: Vec<String> = nodes.iter().map(|n| n.host()).collect();
    format!("mysql://kaching:kaching@{}/kaching", hosts.join(","))
}

/// Sells one sale and waits until `check` (a node that is up) has it: the wait.
fn sell(till: &mut common::Till, check: &Node) -> Duration {
    till.cmd("scan 1234");
    let sale = common::find_event(&till.cmd("pay main cash"), "sale_committed");
    let id = sale["sale_id"].as_str().unwrap().to_owned();
    let start = Instant::now();
    loop {
        if check.sql(&format!(
            "SELECT COUNT(*) FROM kaching.sales WHERE id = '{id}'"
        )) == Some("1".into())
        {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "sale {id} never reached the cluster: {:#?}",
            till.status()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `rounds` sales on each till, alternating; the longest wait.
fn sell_rounds(tills: &mut [common::Till], check: &Node, rounds: usize) -> Duration {
    let mut worst = Duration::ZERO;
    for _ in 0..rounds {
        for till in tills.iter_mut() {
            worst = worst.max(sell(till, check));
        }
    }
    worst
}

#[test]
#[ignore = "opt-in: starts a three-node Galera cluster (root, galera-4, rsync); \
            cargo test --test galera -- --ignored --nocapture"]
fn two_tills_ride_out_the_loss_of_their_galera_nodes_and_every_node_holds_every_sale_once() {
    assert!(
        Path::new(GALERA).exists(),
        "{GALERA} is missing: apt-get install galera-4 rsync"
    );
    let base = tempfile::tempdir().unwrap();
    Command::new("chmod")
        .arg("755")
        .arg(base.path())
        .status()
        .unwrap();
    let mut nodes = cluster(base.path());
    let started = Instant::now();
    nodes[0].start(true);
    nodes[0].wait_synced(1);
    nodes[1].start(false);
    nodes[1].wait_synced(2);
    nodes[2].start(false);
    nodes[2].wait_synced(3);
    eprintln!("cluster of 3 up in {:?}", started.elapsed());
    nodes[0]
        .sql(
            "CREATE DATABASE kaching CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; \
             CREATE USER kaching@'127.0.0.1' IDENTIFIED BY 'kaching'; \
             GRANT ALL ON kaching.* TO kaching@'127.0.0.1'",
        )
        .expect("database and user created");

    let all = url(&[&nodes[0], &nodes[1], &nodes[2]]);
    let seed = common::seeded_dir();
    common::central_stdout(seed.path(), &all, &["migrate", "--central"]);

    let mut dirs = Vec::new();
    let mut tills = Vec::new();
    for (id, order) in [("till-a", [0, 1, 2]), ("till-b", [1, 2, 0])] {
        let dir = common::seeded_dir();
        let u = url(&[&nodes[order[0]], &nodes[order[1]], &nodes[order[2]]]);
        let mut cmd = common::central_cmd(dir.path(), &u);
        cmd.env("KACHING_TILL__ID", id);
        let mut till = common::Till::start_with(cmd);
        assert!(
            till.cmd("login 1 1111")
                .iter()
                .any(|e| e["event"] == "logged_in")
        );
        tills.push(till);
        dirs.push(dir);
    }

    let calm = sell_rounds(&mut tills, &nodes[2], 10);
    eprintln!("all nodes up: longest wait {calm:?}");
    assert_eq!(tills[0].status()["central_host"], nodes[0].host());
    assert_eq!(tills[1].status()["central_host"], nodes[1].host());

    // The node till A uses dies.
    nodes[0].kill();
    let worst = sell_rounds(&mut tills, &nodes[2], 10);
    eprintln!("n1 killed: longest wait {worst:?}");
    assert!(
        worst <= MAX_WAIT,
        "a sale waited {worst:?} while two nodes were up"
    );
    assert_eq!(tills[0].status()["central_host"], nodes[1].host());
    nodes[0].start(false);
    nodes[0].wait_synced(3);

    // The node both tills use now dies.
    nodes[1].kill();
    let worst = sell_rounds(&mut tills, &nodes[0], 10);
    eprintln!("n2 killed: longest wait {worst:?}");
    assert!(
        worst <= MAX_WAIT,
        "a sale waited {worst:?} while two nodes were up"
    );
    assert_eq!(tills[0].status()["central_host"], nodes[2].host());
    assert_eq!(tills[1].status()["central_host"], nodes[2].host());
    nodes[1].start(false);
    nodes[1].wait_synced(3);

    for till in tills.iter_mut() {
        common::wait_synced(till);
    }
    // Every node holds every sale, once, and the same rows.
    let expected = 2 * 30;
    let mut sums = Vec::new();
    for n in &nodes {
        n.wait_synced(3);
        assert_eq!(
            n.int("SELECT COUNT(*) FROM kaching.sales"),
            expected,
            "{}",
            n.name
        );
        assert_eq!(
            n.int("SELECT COUNT(DISTINCT id) FROM kaching.sales"),
            expected,
            "{}",
            n.name
        );
        assert_eq!(
            n.int("SELECT COUNT(DISTINCT till_id, ticket_no) FROM kaching.sales"),
            expected,
            "{}",
            n.name
        );
        assert_eq!(
            n.int("SELECT COUNT(*) FROM kaching.sale_lines"),
            expected,
            "{}",
            n.name
        );
        sums.push(
            n.sql("CHECKSUM TABLE kaching.sales, kaching.sale_lines")
                .unwrap(),
        );
    }
    assert!(
        sums.iter().all(|s| *s == sums[0]),
        "the nodes differ: {sums:?}"
    );

    // Admin writes through two nodes at once: conflicts are retried, none fails.
    let csv = seed.path().join("import.csv");
    let mut text = "code,barcode,name,price,vat_rate\n".to_owned();
    for i in 0..20 {
        text.push_str(&format!("7{i:02},,Article {i},1.{i:02},21\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let through = [
        url(&[&nodes[0], &nodes[1], &nodes[2]]),
        url(&[&nodes[2], &nodes[1], &nodes[0]]),
    ];
    let imports: Vec<Child> = (0..30)
        .map(|i| {
            let mut c = common::central_cmd(seed.path(), &through[i % 2]);
            c.args(["catalog", "import", csv.to_str().unwrap()])
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    let mut failed = Vec::new();
    for c in imports {
        let o = c.wait_with_output().unwrap();
        if !o.status.success() {
            failed.push(String::from_utf8_lossy(&o.stderr).into_owned());
        }
    }
    assert!(
        failed.is_empty(),
        "{} imports failed: {failed:#?}",
        failed.len()
    );
    for n in &nodes {
        assert_eq!(
            n.int("SELECT COUNT(*) FROM kaching.products WHERE code LIKE '7%'"),
            20,
            "{}",
            n.name
        );
    }
    for till in tills {
        till.quit();
    }
}

//! The Debian package, as an admin installs it: `cargo deb` builds it from the release binary,
//! `dpkg-deb` shows what it holds, `systemd-analyze verify` accepts both units, `dpkg -i`
//! installs it on this machine (the kaching user, /var/lib/kaching 0750, the secrets file), the
//! pay-server runs exactly as its unit's ExecStart says, as the kaching user, and answers
//! /healthz; `dpkg -r` and even `dpkg --purge` leave /var/lib/kaching (a legal record) in place.
//!
//! It needs root, dpkg, systemd-analyze, setpriv and cargo-deb (scripts/setup.sh test installs
//! them) and the release binary, which `scripts/setup.sh test` builds first: the test does not
//! run `cargo build` itself (that would wait on the lock of the `cargo test` running it).

mod common;

use std::collections::BTreeSet;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const DATA: &str = "/var/lib/kaching";
const ETC: &str = "/etc/kaching";
const UNITS: [&str; 2] = ["kaching-pay-server.service", "kaching-till.service"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs a command to its end; panics (naming it) when it cannot start.
fn run(cmd: &mut Command) -> Output {
    let shown = format!("{cmd:?}");
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e}"))
}

/// Runs a command that must succeed and returns its stdout.
fn ok(cmd: &mut Command) -> String {
    let shown = format!("{cmd:?}");
    let o = run(cmd);
    assert!(
        o.status.success(),
        "{shown} failed ({}):\n{}{}",
        o.status,
        common::stdout(&o),
        common::stderr(&o)
    );
    common::stdout(&o)
}

fn have(tool: &str, args: &[&str]) -> bool {
    Command::new(tool)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The values of `key` in a systemd unit file (every occurrence, comments skipped).
fn unit_values(unit: &str, key: &str) -> Vec<String> {
    unit.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with(';'))
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim().to_owned())
        .collect()
}

fn unit_value(unit: &str, key: &str) -> String {
    let v = unit_values(unit, key);
    assert_eq!(v.len(), 1, "{key}= should be set once in the unit: {v:?}");
    v[0].clone()
}

/// ExecStart= as argv: our units use no quoting and no prefixes (- @ : + !), and must not start
/// to without this test being taught them.
fn exec_start_argv(unit: &str) -> Vec<String> {
    let line = unit_value(unit, "ExecStart");
    assert!(
        !line.contains(['"', '\'', '\\', '$', '%']) && !line.starts_with(['-', '@', ':', '+', '!']),
        "ExecStart uses quoting, variables or prefixes this test does not parse: {line}"
    );
    line.split_whitespace().map(str::to_owned).collect()
}

/// VAR=value lines of an EnvironmentFile (comments and blank lines skipped, outer quotes off).
fn env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            (k.trim().to_owned(), v.to_owned())
        })
        .collect()
}

/// (section, key) of every setting assigned in a TOML settings file (commented-out ones skipped).
fn toml_keys(text: &str) -> BTreeSet<(String, String)> {
    let mut section = String::new();
    let mut keys = BTreeSet::new();
    for l in text.lines().map(str::trim) {
        if l.starts_with('[') {
            section = l.trim_matches(['[', ']']).to_owned();
        } else if !l.starts_with('#')
            && let Some((k, _)) = l.split_once('=')
        {
            keys.insert((section.clone(), k.trim().to_owned()));
        }
    }
    keys
}

/// target/release/kaching, failing (never skipping) when it is missing or older than one of its
/// sources: the files cargo's dep-info (target/release/kaching.d) lists for it, exactly what
/// `cargo build --release` looks at.
fn fresh_release_binary() {
    // The test's own binary is target/debug/kaching: the release one is next to it.
    let target = Path::new(common::BIN).parent().unwrap().parent().unwrap();
    let bin = target.join("release").join("kaching");
    let fix = "run `cargo build --release --locked` first (scripts/setup.sh test does)";
    let built = std::fs::metadata(&bin)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| panic!("{} is missing: {fix}", bin.display()));
    let dep_info = bin.with_extension("d");
    let deps = std::fs::read_to_string(&dep_info)
        .unwrap_or_else(|e| panic!("{}: {e}: {fix}", dep_info.display()));
    // "TARGET: DEP DEP…", spaces in paths escaped as "\ ".
    let deps = deps.lines().next().unwrap_or_default().replace("\\ ", "\0");
    let (_, deps) = deps.split_once(": ").unwrap_or_default();
    let deps: Vec<PathBuf> = deps
        .split_whitespace()
        .map(|d| PathBuf::from(d.replace('\0', " ")))
        .collect();
    assert!(
        deps.iter().any(|d| d.ends_with("src/main.rs")),
        "{} does not list src/main.rs: {fix}",
        dep_info.display()
    );
    for dep in deps {
        let changed = std::fs::metadata(&dep).and_then(|m| m.modified());
        assert!(
            changed.is_ok_and(|t| t <= built),
            "{} is older than {} (or that file is gone): {fix}",
            bin.display(),
            dep.display()
        );
    }
}

fn package_installed() -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", "kaching"])
        .output()
        .is_ok_and(|o| {
            common::stdout(&o).contains("ok installed")
                || common::stdout(&o).contains("config-files")
        })
}

fn user_exists(name: &str) -> bool {
    have("getent", &["passwd", name])
}

fn group_exists(name: &str) -> bool {
    have("getent", &["group", name])
}

/// Leaves the machine as it found it, even when an assertion fails half-way: stops the
/// pay-server, purges the package, and removes the data dir, user and group it created.
struct Cleanup {
    server: Option<Child>,
    created_data: bool,
    created_user: bool,
    created_group: bool,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(mut c) = self.server.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if package_installed() {
            let _ = Command::new("dpkg").args(["--purge", "kaching"]).output();
        }
        if self.created_data {
            let _ = std::fs::remove_dir_all(DATA);
        }
        if self.created_user && user_exists("kaching") {
            let _ = Command::new("userdel").arg("kaching").output();
        }
        if self.created_group && group_exists("kaching") {
            let _ = Command::new("groupdel").arg("kaching").output();
        }
    }
}

fn wait_healthy(url: &str, server: &mut Child, log: &Path) -> (u16, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(mut r) = common::http().get(url).call() {
            let status = r.status().as_u16();
            return (status, r.body_mut().read_to_string().unwrap_or_default());
        }
        if let Some(status) = server.try_wait().unwrap() {
            panic!(
                "the pay-server exited ({status}) before answering: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        assert!(
            Instant::now() < deadline,
            "the pay-server did not answer {url} within 20 s: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The /proc/PID/status field `key` (e.g. "Uid"): its first value.
fn proc_status(pid: u32, key: &str) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .and_then(|v| v.split_whitespace().next())
        .unwrap_or_else(|| panic!("no {key} in /proc/{pid}/status"))
        .to_owned()
}

fn id(args: &[&str]) -> String {
    ok(Command::new("id").args(args)).trim().to_owned()
}

#[test]
fn the_deb_installs_runs_the_pay_server_as_kaching_and_removal_keeps_the_data() {
    let started = Instant::now();
    assert_eq!(
        id(&["-u"]),
        "0",
        "the package test installs a .deb with dpkg: run it as root (e.g. `sudo -E cargo test --test package`)"
    );
    for (tool, args) in [
        ("dpkg-deb", vec!["--version"]),
        ("systemd-analyze", vec!["--version"]),
        ("setpriv", vec!["--version"]),
    ] {
        assert!(
            have(tool, &args),
            "{tool} not found: run scripts/setup.sh test (it installs dpkg-dev, systemd, util-linux)"
        );
    }
    assert!(
        have(&cargo(), &["deb", "--version"]),
        "cargo-deb is not installed: run `cargo install cargo-deb` (scripts/setup.sh test does)"
    );
    fresh_release_binary();
    assert!(
        !package_installed(),
        "the kaching package is installed on this machine: this test installs and purges it; run it elsewhere (or `dpkg --purge kaching`)"
    );
    assert!(
        !Path::new(DATA).exists(),
        "{DATA} exists: this test must not touch a real till's data; move it away (if it is a leftover of this test: rm -rf {DATA})"
    );
    let mut cleanup = Cleanup {
        server: None,
        created_data: true,
        created_user: !user_exists("kaching"),
        created_group: !group_exists("kaching"),
    };

    // Build the .deb from the release binary, into a directory of our own.
    let out = tempfile::tempdir().unwrap();
    let built = ok(Command::new(cargo())
        .current_dir(repo())
        .args(["deb", "--no-build", "--fast", "--output"])
        .arg(out.path()));
    let deb = PathBuf::from(built.lines().last().unwrap_or_default().trim());
    assert!(deb.is_file(), "cargo deb did not report a .deb: {built}");
    assert_eq!(
        deb.parent(),
        Some(out.path()),
        "the .deb is not in --output: {}",
        deb.display()
    );

    // Its metadata.
    let field = |name: &str| {
        ok(Command::new("dpkg-deb").arg("-f").arg(&deb).arg(name))
            .trim()
            .to_owned()
    };
    assert_eq!(field("Package"), "kaching");
    let version = field("Version");
    assert!(
        version.starts_with(&format!("{}-", env!("CARGO_PKG_VERSION"))),
        "Version {version} is not the crate's {}",
        env!("CARGO_PKG_VERSION")
    );
    let depends = field("Depends");
    for dep in [
        "adduser",
        "libc6",
        "libx11-6",
        "libxft2",
        "fonts-dejavu-core",
    ] {
        assert!(depends.contains(dep), "Depends lacks {dep}: {depends}");
    }
    let recommends = field("Recommends");
    assert!(
        recommends.contains("x11-xserver-utils"),
        "Recommends: {recommends}"
    );
    let info = ok(Command::new("dpkg-deb").arg("-I").arg(&deb));
    for script in ["postinst", "prerm", "postrm"] {
        assert!(
            info.contains(script),
            "no {script} in the control archive:\n{info}"
        );
    }

    // Its files.
    let listing = ok(Command::new("dpkg-deb").arg("-c").arg(&deb));
    let files: Vec<(&str, &str)> = listing
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let mode = f.next()?;
            Some((mode, f.last()?))
        })
        .collect();
    let mode_of = |path: &str| files.iter().find(|(_, p)| *p == path).map(|(m, _)| *m);
    assert_eq!(
        mode_of("./usr/bin/kaching"),
        Some("-rwxr-xr-x"),
        "{listing}"
    );
    for path in [
        "./etc/kaching/kaching.toml",
        "./etc/xdg/autostart/kaching-xhost.desktop",
        "./usr/share/kaching/secrets.env.example",
        "./usr/lib/systemd/system/kaching-pay-server.service",
        "./usr/lib/systemd/system/kaching-till.service",
    ] {
        assert_eq!(mode_of(path), Some("-rw-r--r--"), "{path} in:\n{listing}");
    }
    // The data dir and the secrets are not the package's files: dpkg never removes the one
    // and an upgrade never overwrites the other.
    for path in ["./var/lib/kaching/", "./etc/kaching/secrets.env"] {
        assert_eq!(
            mode_of(path),
            None,
            "{path} must not be in the package:\n{listing}"
        );
    }
    let control = tempfile::tempdir().unwrap();
    ok(Command::new("dpkg-deb")
        .arg("-e")
        .arg(&deb)
        .arg(control.path()));
    let conffiles = std::fs::read_to_string(control.path().join("conffiles")).unwrap();
    assert!(
        conffiles.lines().any(|l| l == "/etc/kaching/kaching.toml"),
        "conffiles: {conffiles}"
    );

    // Install it.
    ok(Command::new("dpkg").arg("-i").arg(&deb));
    assert!(
        package_installed(),
        "dpkg -i did not leave kaching installed"
    );
    let installed = Path::new("/usr/bin/kaching");
    assert_eq!(
        std::fs::metadata(installed).unwrap().permissions().mode() & 0o777,
        0o755
    );
    let v = ok(Command::new(installed).arg("--version"));
    assert!(
        v.contains(env!("CARGO_PKG_VERSION")),
        "kaching --version: {v}"
    );

    // Both units verify, now that their ExecStart binary exists.
    for unit in UNITS {
        let path = format!("/usr/lib/systemd/system/{unit}");
        let o = run(Command::new("systemd-analyze").args(["verify", &path]));
        let err = common::stderr(&o);
        assert!(o.status.success(), "systemd-analyze verify {unit}: {err}");
        assert!(
            !err.contains("kaching"),
            "systemd-analyze verify {unit} warns: {err}"
        );
        // Installing enables nothing (the admin picks the till or the pay-server).
        for target in ["multi-user.target.wants", "graphical.target.wants"] {
            let link = Path::new("/etc/systemd/system").join(target).join(unit);
            assert!(
                link.symlink_metadata().is_err(),
                "{} was enabled at install",
                link.display()
            );
        }
    }

    // The kaching system user, in the groups of the scanner and the printer.
    let passwd = ok(Command::new("getent").args(["passwd", "kaching"]));
    let pw: Vec<&str> = passwd.trim().split(':').collect();
    assert_eq!(pw.len(), 7, "{passwd}");
    let uid: u32 = pw[2].parse().unwrap();
    assert!(uid < 1000, "kaching is not a system user: {passwd}");
    assert_eq!(pw[5], DATA, "kaching's home: {passwd}");
    assert!(
        pw[6].ends_with("nologin") || pw[6].ends_with("false"),
        "kaching's shell: {passwd}"
    );
    let gid: u32 = id(&["-g", "kaching"]).parse().unwrap();
    assert_eq!(id(&["-gn", "kaching"]), "kaching");
    let groups = id(&["-Gn", "kaching"]);
    for g in ["input", "lp"] {
        if group_exists(g) {
            assert!(
                groups.split_whitespace().any(|x| x == g),
                "kaching not in {g}: {groups}"
            );
        }
    }

    // /var/lib/kaching: kaching:kaching 0750.
    let data = std::fs::metadata(DATA).unwrap();
    assert!(data.is_dir());
    assert_eq!((data.uid(), data.gid()), (uid, gid), "owner of {DATA}");
    assert_eq!(data.mode() & 0o7777, 0o750, "mode of {DATA}");

    // /etc/kaching/secrets.env: created from the template, root:kaching 0600, and documented.
    let secrets_path = Path::new(ETC).join("secrets.env");
    let secrets_meta = std::fs::metadata(&secrets_path).unwrap();
    assert_eq!(
        (secrets_meta.uid(), secrets_meta.gid()),
        (0, gid),
        "owner of secrets.env"
    );
    assert_eq!(secrets_meta.mode() & 0o7777, 0o600, "mode of secrets.env");
    let secrets = std::fs::read_to_string(&secrets_path).unwrap();
    for var in [
        "KACHING_PIN_PEPPER",
        "KACHING_CENTRAL__URL",
        "KACHING_PAYMENT__TILL_SECRET",
        "KACHING_PAY_SERVER__DATABASE",
    ] {
        assert!(secrets.contains(var), "secrets.env does not document {var}");
    }

    // An upgrade (here: the same package again, which runs postinst as an upgrade does) keeps
    // the admin's settings and secrets and the data dir's owner and mode.
    let conf_path = Path::new(ETC).join("kaching.toml");
    let mine = "\n# changed by the admin\n";
    for path in [&conf_path, &secrets_path] {
        let mut text = std::fs::read_to_string(path).unwrap();
        text.push_str(mine);
        std::fs::write(path, text).unwrap();
    }
    ok(Command::new("dpkg").arg("-i").arg(&deb));
    for path in [&conf_path, &secrets_path] {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            text.ends_with(mine),
            "the upgrade overwrote {}",
            path.display()
        );
    }
    let secrets_meta = std::fs::metadata(&secrets_path).unwrap();
    assert_eq!(
        secrets_meta.mode() & 0o7777,
        0o600,
        "mode of secrets.env after the upgrade"
    );
    let data = std::fs::metadata(DATA).unwrap();
    assert_eq!(
        (data.uid(), data.mode() & 0o7777),
        (uid, 0o750),
        "{DATA} after the upgrade"
    );

    // The pay-server unit, read from the installed file: who it runs as and how.
    let unit =
        std::fs::read_to_string("/usr/lib/systemd/system/kaching-pay-server.service").unwrap();
    let user = unit_value(&unit, "User");
    let group = unit_value(&unit, "Group");
    assert_eq!((user.as_str(), group.as_str()), ("kaching", "kaching"));
    let argv = exec_start_argv(&unit);
    assert_eq!(argv[0], "/usr/bin/kaching", "ExecStart: {argv:?}");
    let mut env: Vec<(String, String)> = Vec::new();
    for file in unit_values(&unit, "EnvironmentFile") {
        let (optional, file) = match file.strip_prefix('-') {
            Some(f) => (true, f.to_owned()),
            None => (false, file),
        };
        match std::fs::read_to_string(&file) {
            Ok(text) => env.extend(env_file(&text)),
            Err(e) => assert!(optional, "EnvironmentFile {file}: {e}"),
        }
    }
    // As the kaching user (setpriv execs: the child is the server itself), with systemd's
    // clean environment; only the listening addresses differ from a real server's.
    let as_kaching = |args: &[String]| {
        let mut c = Command::new("setpriv");
        c.args([
            format!("--reuid={user}"),
            format!("--regid={group}"),
            "--init-groups".to_owned(),
            "--".to_owned(),
        ])
        .args(args)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", DATA)
        .env("LANG", "C.UTF-8")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir("/");
        c
    };

    // Every setting of the installed kaching.toml parses (the program loads and checks it).
    let mut migrate = argv.clone();
    migrate.pop();
    migrate.push("migrate".to_owned());
    let migrated = ok(&mut as_kaching(&migrate));
    assert!(migrated.contains("registre migré"), "{migrated}");
    let broken = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(broken.path(), "[printer]\nwidth = \"wide\"\n").unwrap();
    let refused = run(Command::new(installed)
        .arg("--config")
        .arg(broken.path())
        .args(["--data-dir", control.path().to_str().unwrap(), "migrate"]));
    assert!(
        !refused.status.success(),
        "a broken settings file was accepted: the check above proves nothing"
    );

    let port = common::free_port();
    let log_path = out.path().join("pay-server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let child = as_kaching(&argv)
        .env("KACHING_PAY_SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("KACHING_PAYMENT__LAN_BIND", "")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("spawn the pay-server");
    let pid = child.id();
    let server = cleanup.server.insert(child);
    let (status, body) = wait_healthy(
        &format!("http://127.0.0.1:{port}/healthz"),
        server,
        &log_path,
    );
    assert_eq!(status, 200, "/healthz: {body}");
    assert_eq!(
        proc_status(pid, "Uid"),
        uid.to_string(),
        "the pay-server does not run as kaching"
    );
    assert_eq!(
        proc_status(pid, "Gid"),
        gid.to_string(),
        "the pay-server does not run as group kaching"
    );
    // Stop it as systemd does (SIGTERM), then wait for it.
    ok(Command::new("kill").args(["-TERM", &pid.to_string()]));
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "the pay-server ignored SIGTERM for 10 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    cleanup.server = None;
    let pay_db = Path::new(DATA).join("pay.sqlite");
    let ledger = Path::new(DATA).join("ledger.sqlite");
    assert!(
        pay_db.is_file(),
        "the pay-server did not create {}",
        pay_db.display()
    );
    assert_eq!(
        std::fs::metadata(&pay_db).unwrap().uid(),
        uid,
        "pay.sqlite is not kaching's"
    );

    // The README's commands on an installed machine, through its `kaching-svc` function (with a
    // `sudo` that only runs its arguments: the test is root, and the container has no sudo):
    // the pepper from secrets.env, an admin added, the doctor, and that admin's login.
    readme_commands_run_as_the_services_do();

    // Remove: the program goes, the data and the configuration stay.
    ok(Command::new("dpkg").args(["-r", "kaching"]));
    let state = ok(Command::new("dpkg-query").args(["-W", "-f=${Status}", "kaching"]));
    assert_eq!(state, "deinstall ok config-files", "after dpkg -r");
    assert!(
        !installed.exists(),
        "/usr/bin/kaching is still there after dpkg -r"
    );
    for unit in UNITS {
        let path = Path::new("/usr/lib/systemd/system").join(unit);
        assert!(
            !path.exists(),
            "{} is still there after dpkg -r",
            path.display()
        );
    }
    assert!(
        pay_db.is_file() && ledger.is_file(),
        "dpkg -r removed the data in {DATA}"
    );
    assert!(
        Path::new(ETC).join("kaching.toml").is_file(),
        "dpkg -r removed the conffile"
    );
    assert!(secrets_path.is_file(), "dpkg -r removed secrets.env");

    // Purge: the configuration and the secrets go, the ledger and the user stay.
    ok(Command::new("dpkg").args(["--purge", "kaching"]));
    assert!(
        !package_installed(),
        "kaching is still known to dpkg after purge"
    );
    assert!(
        pay_db.is_file() && ledger.is_file(),
        "dpkg --purge removed the data in {DATA}"
    );
    let data = std::fs::metadata(DATA).unwrap();
    assert_eq!(
        (data.uid(), data.mode() & 0o7777),
        (uid, 0o750),
        "{DATA} changed on purge"
    );
    assert!(
        !secrets_path.exists(),
        "purge keeps secrets.env (postrm says it removes it)"
    );
    assert!(!Path::new(ETC).exists(), "purge left {ETC}");
    assert!(
        user_exists("kaching"),
        "purge removed the kaching user, who owns {DATA}"
    );

    // The machine is left as it was found.
    let created_user = cleanup.created_user;
    drop(cleanup);
    assert!(!Path::new(DATA).exists(), "the cleanup left {DATA}");
    assert!(
        !(created_user && user_exists("kaching")),
        "the cleanup left the kaching user"
    );
    eprintln!("package test: {:.1} s", started.elapsed().as_secs_f64());
}

/// The deployment copy of the settings keeps every key of config/kaching.toml, so a setting added
/// to the one cannot be forgotten in the other (the package test checks that it all parses).
/// `kaching-svc ARGS` as the README defines it, fed `stdin`.
fn kaching_svc(args: &str, stdin: &str) -> Output {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let function = readme
        .lines()
        .find(|l| l.starts_with("kaching-svc() {"))
        .expect("the README defines kaching-svc()");
    let script = format!("sudo() {{ \"$@\"; }}\n{function}\nkaching-svc {args}\n");
    let mut bash = Command::new("bash");
    bash.args(["-c", &script]).current_dir("/");
    common::run_cmd(bash, stdin)
}

fn readme_commands_run_as_the_services_do() {
    let secrets = Path::new("/etc/kaching/secrets.env");
    let mut text = std::fs::read_to_string(secrets).unwrap();
    text.push_str(
        "KACHING_PIN_PEPPER=\"pepper of the package test\"\nKACHING_PAYMENT__LAN_BIND=\n",
    );
    std::fs::write(secrets, text).unwrap();
    let o = kaching_svc("staff add 1 ADMIN --role admin", "1234\n");
    assert!(
        o.status.success(),
        "staff add: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !Path::new(DATA).join("pin_pepper").exists(),
        "the pepper of secrets.env was not used: a pepper was generated in the data dir"
    );
    let o = kaching_svc("doctor --format json", "");
    let checks: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "doctor --format json ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    });
    for id in ["settings", "data_dir", "ledger", "pin_pepper"] {
        let c = checks
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == id)
            .unwrap_or_else(|| panic!("no {id} check: {checks:#}"));
        assert_eq!(c["ok"], true, "{id}: {c:#}");
    }
    let o = kaching_svc("till --headless", "login 1 1234\nquit\n");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("\"logged_in\""),
        "the admin added through kaching-svc cannot log in on the till: {out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_packaged_settings_have_every_key_of_the_documented_defaults() {
    let defaults = std::fs::read_to_string(repo().join("config/kaching.toml")).unwrap();
    let packaged = std::fs::read_to_string(repo().join("pkg/kaching.toml")).unwrap();
    let (d, p) = (toml_keys(&defaults), toml_keys(&packaged));
    assert!(
        d.len() > 20,
        "config/kaching.toml parsed to too few keys: {d:?}"
    );
    let missing: Vec<_> = d.difference(&p).collect();
    let extra: Vec<_> = p.difference(&d).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "pkg/kaching.toml differs from config/kaching.toml: missing {missing:?}, extra {extra:?}"
    );
}

/// What the units promise before anything is installed: the commands and the hardening the
/// issue asks for (systemd-analyze verifies the rest after install).
#[test]
fn the_units_run_as_kaching_with_the_hardening_they_promise() {
    let read = |u: &str| std::fs::read_to_string(repo().join("pkg/systemd").join(u)).unwrap();
    let pay = read("kaching-pay-server.service");
    let till = read("kaching-till.service");
    for (unit, key, value) in [
        (
            &pay,
            "ExecStart",
            "/usr/bin/kaching --config /etc/kaching/kaching.toml --data-dir /var/lib/kaching pay-server",
        ),
        (&pay, "Restart", "on-failure"),
        (&pay, "ProtectSystem", "strict"),
        (&pay, "ProtectHome", "yes"),
        (&pay, "PrivateTmp", "yes"),
        (&pay, "PrivateDevices", "yes"),
        (&pay, "NoNewPrivileges", "yes"),
        (&pay, "ReadWritePaths", "/var/lib/kaching"),
        (&pay, "CapabilityBoundingSet", ""),
        (&pay, "After", "network-online.target"),
        (
            &till,
            "ExecStart",
            "/usr/bin/kaching --config /etc/kaching/kaching.toml --data-dir /var/lib/kaching till",
        ),
        (&till, "SupplementaryGroups", "input lp"),
        (&till, "Environment", "DISPLAY=:0"),
        (&till, "After", "graphical.target"),
        (&till, "WantedBy", "graphical.target"),
        (&till, "Restart", "always"),
        (&till, "RestartSec", "2"),
        (&till, "StartLimitIntervalSec", "0"),
        (&till, "ProtectSystem", "strict"),
        (&till, "NoNewPrivileges", "yes"),
    ] {
        let values = unit_values(unit, key);
        assert!(
            values.iter().any(|v| v == value),
            "{key}={value} not in the unit: {values:?}"
        );
    }
    for unit in [&pay, &till] {
        assert_eq!(unit_value(unit, "User"), "kaching");
        assert_eq!(
            unit_value(unit, "EnvironmentFile"),
            "-/etc/kaching/secrets.env"
        );
    }
    // The till needs the devices and the X socket in /tmp.
    assert!(
        unit_values(&till, "PrivateDevices").is_empty()
            && unit_values(&till, "PrivateTmp").is_empty()
    );
    let xhost = std::fs::read_to_string(repo().join("pkg/kaching-xhost.desktop")).unwrap();
    assert!(
        xhost.contains("\nExec=xhost +SI:localuser:kaching\n"),
        "{xhost}"
    );
}

/// scripts/build-deb.sh without cargo-deb: one line saying what to install, not a cargo error.
#[test]
fn build_deb_without_cargo_deb_says_how_to_install_it() {
    let bin = tempfile::tempdir().unwrap();
    // A cargo that knows no `deb` subcommand, as on a machine without cargo-deb.
    let stub = bin.path().join("cargo");
    std::fs::write(
        &stub,
        "#!/bin/sh\necho \"error: no such command: \\`$1\\`\" >&2\nexit 101\n",
    )
    .unwrap();
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = run(Command::new(repo().join("scripts/build-deb.sh"))
        .env("PATH", format!("{}:/usr/bin:/bin", bin.path().display())));
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cargo install cargo-deb"), "{err}");
}

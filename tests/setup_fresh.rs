//! `scripts/setup.sh deps` as on a fresh machine: `env -i`, a fresh `HOME`, a `PATH` with no
//! cmake at all, then a `PATH` whose `cmake` is Debian 12's 3.25 (a stub printing its
//! version). Both must exit 0 and leave a cmake >= 3.28 that runs. The first version of the
//! script died silently here (exit 127, not a word) and CI could not see it: CI's machine had a
//! cmake. And a step that fails must say so, in a line naming it, and exit non-zero.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The installed Rust toolchain, which a fresh HOME would not find by itself.
fn toolchain() -> (PathBuf, PathBuf) {
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME"));
    let cargo = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".cargo"));
    let rustup = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".rustup"));
    (cargo, rustup)
}

/// A directory holding every program of /usr/local/bin, /usr/bin and /bin but cmake: the
/// system's directories without a cmake, whatever this machine has installed.
fn path_without_cmake(into: &Path) -> PathBuf {
    let bin = into.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for dir in ["/usr/local/bin", "/usr/bin", "/bin"] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            if name == "cmake" || bin.join(&name).exists() {
                continue;
            }
            let _ = std::os::unix::fs::symlink(e.path(), bin.join(&name));
        }
    }
    bin
}

fn stub(dir: &Path, name: &str, script: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `env -i HOME=home PATH=path CARGO_HOME=… RUSTUP_HOME=… scripts/setup.sh deps`.
fn setup_deps(home: &Path, path: &[&Path]) -> Output {
    let (cargo_home, rustup_home) = toolchain();
    let mut dirs: Vec<PathBuf> = path.iter().map(|p| p.to_path_buf()).collect();
    dirs.push(cargo_home.join("bin"));
    let path = std::env::join_paths(dirs).unwrap();
    Command::new("env")
        .arg("-i")
        .arg(format!("HOME={}", home.display()))
        .arg(format!("PATH={}", path.to_string_lossy()))
        .arg(format!("CARGO_HOME={}", cargo_home.display()))
        .arg(format!("RUSTUP_HOME={}", rustup_home.display()))
        .arg(repo().join("scripts/setup.sh"))
        .arg("deps")
        .current_dir(home)
        .output()
        .expect("run scripts/setup.sh")
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The version a cmake binary prints, as numbers.
fn cmake_version(cmake: &Path) -> Vec<u32> {
    let o = Command::new(cmake)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("{} does not run: {e}", cmake.display()));
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let v = out
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("cmake version "))
        .unwrap_or_else(|| panic!("not a cmake version line: {out}"));
    v.split('.')
        .take(2)
        .map(|n| n.trim().parse().unwrap())
        .collect()
}

fn venv_cmake(home: &Path) -> PathBuf {
    home.join(".local/share/kaching/cmake-venv/bin/cmake")
}

#[test]
fn deps_on_a_fresh_home_without_cmake_then_with_an_old_cmake_leave_a_current_one() {
    let tmp = tempfile::tempdir().unwrap();
    let system = path_without_cmake(tmp.path());
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    assert!(
        !system.join("cmake").exists(),
        "the test's PATH must have no cmake"
    );

    // 1. No cmake anywhere on PATH.
    let o = setup_deps(&home, &[&system]);
    assert!(
        o.status.success(),
        "setup.sh deps without cmake: {}",
        text(&o)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("no cmake on PATH"), "{}", text(&o));
    assert!(out.contains("dependencies ready"), "{}", text(&o));
    let v = cmake_version(&venv_cmake(&home));
    assert!(v >= vec![3, 28], "cmake {v:?} is older than 3.28");

    // 2. Debian 12's cmake 3.25 first on PATH (and no venv left from step 1; pip's cache in
    //    the same HOME spares a second download).
    std::fs::remove_dir_all(venv_cmake(&home).parent().unwrap().parent().unwrap()).unwrap();
    let old = tmp.path().join("old-cmake");
    stub(&old, "cmake", "echo 'cmake version 3.25.1'");
    let o = setup_deps(&home, &[&old, &system]);
    assert!(
        o.status.success(),
        "setup.sh deps with cmake 3.25: {}",
        text(&o)
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("cmake 3.25.1 is older"),
        "{}",
        text(&o)
    );
    let v = cmake_version(&venv_cmake(&home));
    assert!(v >= vec![3, 28], "cmake {v:?} is older than 3.28");

    // 3. A run with a current cmake installed changes nothing and still exits 0.
    let o = setup_deps(&home, &[&old, &system]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn a_failing_step_says_what_failed_and_exits_non_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let system = path_without_cmake(tmp.path());
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    // No cmake, and a python3 that cannot make a venv: the cmake step cannot succeed.
    let broken = tmp.path().join("broken");
    stub(
        &broken,
        "python3",
        "echo 'No module named venv' >&2; exit 1",
    );
    let o = setup_deps(&home, &[&broken, &system]);
    assert!(!o.status.success(), "{}", text(&o));
    assert_ne!(o.status.code(), Some(127), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("setup.sh: python3 -m venv"), "{}", text(&o));
    assert!(err.contains("to fix:"), "{}", text(&o));
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains("dependencies ready"),
        "{}",
        text(&o)
    );
}

#[test]
fn an_unknown_job_is_refused_with_the_usage() {
    let o = Command::new(repo().join("scripts/setup.sh"))
        .arg("bogus")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("usage:"));
}

//! What the `kaching` binary loads, and the font the touch screen draws with
//! (docs/DECISIONS.md, "The touch screen draws its text with Xft"; the memory it saves is in
//! docs/BENCHMARKS.md, "The touch-screen till under 30 MB").
//!
//! - FLTK is built without pango and cairo: the binary links Xft, and none of pango, cairo,
//!   harfbuzz, pixman or glib, which every till process used to map (about 5 MB resident).
//! - On GNU/Linux its relative relocations are packed (DT_RELR, set by build.rs).
//! - Xft draws each FLTK font from one font file, with no per-glyph fallback (pango had one): so
//!   every character of every message the till can show (locales/*/*.ftl) and of the screen's
//!   own strings (string literals under src/gui) must be in the fonts fontconfig gives FLTK's
//!   sans, sans bold and sans italic. A new symbol in a label that the font lacks (it would be
//!   drawn as an empty box) fails here.
//!
//! Needs readelf (binutils) and fc-match (fontconfig), which scripts/setup.sh installs.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kaching");

fn output(cmd: &str, args: &[&str]) -> String {
    let o = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd}: {e}; run scripts/setup.sh test"));
    assert!(
        o.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The binary's dynamic section, as `readelf -d` prints it.
fn dynamic_section() -> String {
    output("readelf", &["-d", "-W", BIN])
}

/// The libraries the binary names (DT_NEEDED).
fn needed() -> Vec<String> {
    dynamic_section()
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| Some(l.split('[').nth(1)?.trim_end_matches(']').to_owned()))
        .collect()
}

#[test]
fn the_binary_draws_text_with_xft_and_links_neither_pango_nor_cairo() {
    let libs = needed();
    assert!(
        libs.iter().any(|l| l.starts_with("libX11.so")),
        "the parser found no X11 in {libs:?}"
    );
    assert!(
        libs.iter().any(|l| l.starts_with("libXft.so")),
        "FLTK draws its text with Xft: {libs:?}"
    );
    for gone in [
        "libpango",
        "libcairo",
        "libharfbuzz",
        "libpixman",
        "libglib",
        "libgobject",
    ] {
        assert!(
            !libs.iter().any(|l| l.starts_with(gone)),
            "{gone} is linked again (fltk's no-pango feature lost?): {libs:?}"
        );
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_binary_packs_its_relative_relocations() {
    let d = dynamic_section();
    assert!(
        d.contains("(RELR)"),
        "no DT_RELR: build.rs's -z pack-relative-relocs did not apply:\n{d}"
    );
    // What is left unpacked is small: the relocations that are not relative.
    let rela = output("readelf", &["-S", "-W", BIN])
        .lines()
        .find(|l| l.contains(" .rela.dyn "))
        // No .rela.dyn at all: nothing left unpacked. A line that does not parse fails.
        .map_or(0, |l| {
            // Type, Address, Off, Size.
            let size = l
                .split(" .rela.dyn ")
                .nth(1)
                .and_then(|a| a.split_whitespace().nth(3));
            size.and_then(|s| u64::from_str_radix(s, 16).ok())
                .unwrap_or_else(|| panic!("cannot read .rela.dyn's size in {l:?}"))
        });
    assert!(
        rela < 256 * 1024,
        ".rela.dyn is {rela} bytes: the relative relocations are not packed"
    );
}

/// The code points fontconfig's best match for `pattern` covers (`fc-match -f %{charset}`
/// prints ranges like `20-7e a0-17f`), with the font's file for messages.
fn charset(pattern: &str) -> (Vec<(u32, u32)>, String) {
    let ranges = output("fc-match", &["-f", "%{charset}", pattern])
        .split_whitespace()
        .map(|r| {
            let (a, b) = r.split_once('-').unwrap_or((r, r));
            (
                u32::from_str_radix(a, 16).unwrap(),
                u32::from_str_radix(b, 16).unwrap(),
            )
        })
        .collect::<Vec<_>>();
    assert!(!ranges.is_empty(), "fc-match gave no charset for {pattern}");
    (ranges, output("fc-match", &["-f", "%{file}", pattern]))
}

/// Every character of the files' contents that the screen may draw: whole Fluent files (their
/// keys and syntax are ASCII), the string literals of Rust files.
fn shown_chars(root: &Path) -> BTreeSet<char> {
    let mut chars = BTreeSet::new();
    let mut visit = vec![root.join("locales"), root.join("src/gui")];
    while let Some(dir) = visit.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                visit.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            match p.extension().and_then(|x| x.to_str()) {
                Some("ftl") => chars.extend(
                    text.lines()
                        .filter(|l| !l.trim_start().starts_with('#'))
                        .flat_map(str::chars),
                ),
                Some("rs") => {
                    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                        // The text between each pair of quotes.
                        for (i, part) in line.split('"').enumerate() {
                            if i % 2 == 1 {
                                chars.extend(part.chars());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    chars.retain(|c| !c.is_control());
    chars
}

#[test]
fn every_glyph_the_till_shows_is_in_the_font_fltk_draws_it_with() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chars = shown_chars(root);
    // The scan found the messages (a wrong path would check nothing).
    for c in ['€', 'é', 'ë', '⚠', '✔'] {
        assert!(chars.contains(&c), "{c} not found in the GUI's strings");
    }
    // FLTK's Xft driver asks fontconfig for "sans" (Helvetica), bold and italic.
    for pattern in ["sans", "sans:bold", "sans:italic"] {
        let (ranges, file) = charset(pattern);
        let missing: String = chars
            .iter()
            .filter(|&&c| {
                let c = c as u32;
                !ranges.iter().any(|&(a, b)| (a..=b).contains(&c))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "{file} (fontconfig's {pattern:?}) lacks {missing:?}: the till would draw empty \
             boxes for them (install fonts-dejavu-core, or change the labels)"
        );
    }
}

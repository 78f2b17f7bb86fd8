//! Receipt text through the ESC/POS encoder (`devices::escpos::ticket`, the code page's
//! `encode`) and back through the tests' decoder (tests/common/escpos_decode/decoder.rs, what a
//! printer makes of the bytes).
//!
//! Input: byte 0 picks the code page (bit 0: Windows-1252 or PC858), the drawer pulse (bit 1)
//! and a QR code (bit 2: the last line is its data); the rest, as UTF-8 (invalid sequences
//! become U+FFFD), is the ticket: one line per `\n`, each line's style from its first
//! character's code point (bits 0-2: centred, bold, tall).
//!
//! Properties: no panic; the bytes decode as a printer reads them (no stray control byte, no
//! raw UTF-8); each printed line has as many characters as the line given, each one the
//! character given, its documented look-alike or `?`, and a character the code page has is
//! printed as itself; the styles, the QR code's data, the drawer pulse and the one cut are the
//! ones asked for.

#![no_main]

use kaching::devices::escpos::{CodePage, look_alike, ticket};
use kaching::domain::receipt::{Style, TicketLine};
use kaching_fuzz::escpos_decode::{self, Align};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [flags, rest @ ..] = data else {
        return;
    };
    let page = if flags & 1 == 0 {
        CodePage::Cp1252
    } else {
        CodePage::Pc858
    };
    let drawer = flags & 2 != 0;
    let text = String::from_utf8_lossy(rest);
    let mut lines: Vec<&str> = text.split('\n').collect();
    let qr = if flags & 4 != 0 { lines.pop() } else { None };
    let lines: Vec<TicketLine> = lines
        .iter()
        .map(|l| {
            let bits = l.chars().next().map_or(0, u32::from);
            TicketLine {
                text: (*l).to_owned(),
                style: Style {
                    center: bits & 1 != 0,
                    bold: bits & 2 != 0,
                    tall: bits & 4 != 0,
                },
            }
        })
        .collect();
    let bytes = ticket(&lines, qr, drawer, page);
    let printed = escpos_decode::decode(&bytes)
        .unwrap_or_else(|e| panic!("the printer cannot read the ticket: {e}\n{bytes:02X?}"));

    assert!(printed.starts_with_init);
    assert_eq!(printed.code_pages, vec![page.table()]);
    assert!(printed.lines.len() >= lines.len());
    for (given, got) in lines.iter().zip(&printed.lines) {
        let want: Vec<char> = given.text.chars().collect();
        let have: Vec<char> = got.text.chars().collect();
        assert_eq!(
            have.len(),
            want.len(),
            "{:?} printed as {:?} ({page:?})",
            given.text,
            got.text
        );
        for (&w, &h) in want.iter().zip(&have) {
            let fine = h == w || h == '?' || look_alike(w) == Some(h);
            assert!(
                fine,
                "{w:?} printed as {h:?} in {:?} ({page:?})",
                given.text
            );
            if page.encode_char(w).is_some() {
                assert_eq!(h, w, "{w:?} is in {page:?} but printed as {h:?}");
            }
        }
        assert_eq!(got.bold, given.style.bold, "{given:?}");
        assert_eq!(got.double_height, given.style.tall, "{given:?}");
        assert!(!got.double_width);
        let align = if given.style.center {
            Align::Center
        } else {
            Align::Left
        };
        assert_eq!(got.align, align, "{given:?}");
    }
    // Only feed lines after the text (around the QR code).
    assert!(
        printed.lines[lines.len()..]
            .iter()
            .all(|l| l.text.is_empty())
    );
    match qr {
        Some(data) if data.len() + 3 <= usize::from(u16::MAX) => {
            assert_eq!(printed.qr_data(), Some(data));
            assert_eq!(printed.qrs[0].model, 2);
        }
        _ => assert!(printed.qrs.is_empty()),
    }
    assert_eq!(printed.pulses.len(), usize::from(drawer));
    assert_eq!(printed.cuts.len(), 1);
    assert!(printed.cuts[0].partial);
});

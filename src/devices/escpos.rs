//! A ticket as ESC/POS bytes for a thermal receipt printer (Epson TM-T20/T88 and the many
//! printers that speak the same commands).
//!
//! # Why the commands are written here and not with the `escpos` crate
//!
//! The ticket needs ten commands (`ESC @`, `ESC t`, `ESC E`, `ESC a`, `GS !`, `LF`, `GS ( k` for
//! the QR code, `GS V` and `ESC p`), each a few fixed bytes from Epson's ESC/POS reference.
//! escpos 0.20 gets half of exactly these wrong (checked in its source, see shared NOTES):
//! without a page code it sends text as UTF-8 — the original till's "gibberish"; a character
//! missing from its page tables silently falls back to UTF-8; its PC850/PC858 tables map `-` to
//! `0xF0`; `cash_drawer()` sends `ESC p m` without the two pulse times, so the printer swallows
//! the next two bytes; `partial_cut()` sends `GS V 65 1`, a full cut; `qrcode()` defaults to the
//! obsolete Model 1. Using it safely means bypassing it (`custom()` bytes, our own encoding) for
//! most of the ticket, and its text path would still need our own fallback for unencodable
//! characters. So the few commands are written here, each checked byte for byte by the tests
//! (and by the decoder in `tests/common/escpos_decode.rs`), with no hidden fallback.
//!
//! # Code pages
//!
//! Text is encoded with one single-byte code page, selected at the start of every ticket with
//! `ESC t n`: Windows-1252 (`ESC t 16`, the default: é è à ç ô É È € and the French
//! quotation marks all exist) through `encoding_rs`, or PC858 (`ESC t 19`, PC850 plus €, for
//! printers without a WPC1252 table) through `oem_cp`. A character the page cannot show is
//! replaced by a look-alike that keeps the columns (typographic quotes, dashes) or by a visible
//! `?`; control characters in data (an ESC in a product name) become `?` too. Raw UTF-8 is never
//! sent.

use encoding_rs::{EncoderResult, WINDOWS_1252};

use crate::domain::receipt::{Style, TicketLine};

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const LF: u8 = 0x0A;

/// The character table the printer is switched to, and the text encoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodePage {
    /// Windows-1252 (`ESC t 16`).
    #[default]
    Cp1252,
    /// PC858: PC850 with € at 0xD5 (`ESC t 19`).
    Pc858,
}

impl CodePage {
    /// `cp1252` (also `windows-1252`, `wpc1252`) or `pc858` (also `cp858`).
    pub fn parse(name: &str) -> Option<CodePage> {
        match name.trim().to_ascii_lowercase().as_str() {
            "cp1252" | "windows-1252" | "wpc1252" => Some(CodePage::Cp1252),
            "pc858" | "cp858" => Some(CodePage::Pc858),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            CodePage::Cp1252 => "cp1252",
            CodePage::Pc858 => "pc858",
        }
    }

    /// `n` of `ESC t n` (Epson's table numbers).
    pub fn table(self) -> u8 {
        match self {
            CodePage::Cp1252 => 16,
            CodePage::Pc858 => 19,
        }
    }

    /// The byte of `c` in this page, if the page has it (printable characters only).
    pub fn encode_char(self, c: char) -> Option<u8> {
        if c.is_control() {
            return None;
        }
        if c.is_ascii() {
            return Some(c as u8);
        }
        match self {
            CodePage::Cp1252 => {
                let mut utf8 = [0u8; 4];
                let mut out = [0u8; 4];
                let mut encoder = WINDOWS_1252.new_encoder();
                let (result, _, written) = encoder.encode_from_utf8_without_replacement(
                    c.encode_utf8(&mut utf8),
                    &mut out,
                    true,
                );
                (result == EncoderResult::InputEmpty && written == 1).then_some(out[0])
            }
            CodePage::Pc858 => {
                oem_cp::encode_char_checked(c, &oem_cp::code_table::ENCODING_TABLE_CP858)
            }
        }
    }

    /// `text` in this page, one byte per character: what the page lacks becomes a look-alike
    /// of the same width or `?`.
    pub fn encode(self, text: &str) -> Vec<u8> {
        text.chars()
            .map(|c| {
                self.encode_char(c)
                    .or_else(|| look_alike(c).and_then(|a| self.encode_char(a)))
                    .unwrap_or(b'?')
            })
            .collect()
    }
}

/// One character for one, so a ticket's columns stay aligned. Public for the fuzz crate's
/// round trip (`fuzz/fuzz_targets/escpos_roundtrip.rs`: a printed character is the one given,
/// its look-alike or `?`).
#[doc(hidden)]
pub fn look_alike(c: char) -> Option<char> {
    Some(match c {
        '\t' | '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{202f}' => ' ',
        '‘' | '’' | '‚' | '′' => '\'',
        '“' | '”' | '„' | '″' => '"',
        '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
        '•' => '·',
        '‹' => '<',
        '›' => '>',
        'Œ' => 'O',
        'œ' => 'o',
        'Ÿ' => 'Y',
        'Š' => 'S',
        'š' => 's',
        'Ž' => 'Z',
        'ž' => 'z',
        _ => return None,
    })
}

/// Text alignment (`ESC a n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left = 0,
    Center = 1,
    Right = 2,
}

/// ESC/POS bytes, built command by command. Every ticket starts with `ESC @` and `ESC t n`, so
/// nothing left over from another program (or a half-printed ticket) changes it.
#[derive(Debug, Clone)]
pub struct EscPos {
    buf: Vec<u8>,
    page: CodePage,
}

impl EscPos {
    /// `ESC @` (initialise) then `ESC t n` (the code page).
    pub fn new(page: CodePage) -> EscPos {
        let mut buf = Vec::with_capacity(2048);
        buf.extend_from_slice(&[ESC, b'@', ESC, b't', page.table()]);
        EscPos { buf, page }
    }

    /// Text in the selected code page (no line feed).
    pub fn text(&mut self, text: &str) -> &mut Self {
        let encoded = self.page.encode(text);
        self.buf.extend_from_slice(&encoded);
        self
    }

    /// `LF`: print the buffered line and feed one line.
    pub fn line_feed(&mut self) -> &mut Self {
        self.buf.push(LF);
        self
    }

    /// `ESC E n`: emphasis on or off.
    pub fn bold(&mut self, on: bool) -> &mut Self {
        self.buf.extend_from_slice(&[ESC, b'E', u8::from(on)]);
        self
    }

    /// `ESC a n`.
    pub fn align(&mut self, align: Align) -> &mut Self {
        self.buf.extend_from_slice(&[ESC, b'a', align as u8]);
        self
    }

    /// `GS ! n`: character size, 1 or 2 times in each direction. Double width halves the
    /// columns, so the ticket uses only double height.
    pub fn size(&mut self, double_width: bool, double_height: bool) -> &mut Self {
        let n = (u8::from(double_width) << 4) | u8::from(double_height);
        self.buf.extend_from_slice(&[GS, b'!', n]);
        self
    }

    /// A QR code of `data`: Model 2 (fn 165), module size `module` dots (fn 167), error
    /// correction M (fn 169), store (fn 180), print (fn 181). Data longer than the command's
    /// 16-bit length allows is not sent.
    pub fn qr(&mut self, data: &str, module: u8) -> &mut Self {
        let bytes = data.as_bytes();
        let Ok(len) = u16::try_from(bytes.len() + 3) else {
            return self;
        };
        let [pl, ph] = len.to_le_bytes();
        let gs_k = [GS, b'(', b'k'];
        // Model 2.
        self.buf.extend_from_slice(&gs_k);
        self.buf.extend_from_slice(&[4, 0, 49, 65, 50, 0]);
        // Module size.
        self.buf.extend_from_slice(&gs_k);
        self.buf
            .extend_from_slice(&[3, 0, 49, 67, module.clamp(1, 16)]);
        // Error correction level M.
        self.buf.extend_from_slice(&gs_k);
        self.buf.extend_from_slice(&[3, 0, 49, 69, 49]);
        // Store the data.
        self.buf.extend_from_slice(&gs_k);
        self.buf.extend_from_slice(&[pl, ph, 49, 80, 48]);
        self.buf.extend_from_slice(bytes);
        // Print it.
        self.buf.extend_from_slice(&gs_k);
        self.buf.extend_from_slice(&[3, 0, 49, 81, 48]);
        self
    }

    /// `ESC p 0 25 250`: a pulse on drawer pin 2, 50 ms on, 500 ms off (all five bytes).
    pub fn drawer_pulse(&mut self) -> &mut Self {
        self.buf.extend_from_slice(&[ESC, b'p', 0, 25, 250]);
        self
    }

    /// `GS V 66 0`: feed to the cutter and cut partially (the ticket stays hanging by a
    /// tab; `GS V 65` would be a full cut).
    pub fn partial_cut(&mut self) -> &mut Self {
        self.buf.extend_from_slice(&[GS, b'V', 66, 0]);
        self
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

/// A laid-out ticket as ESC/POS: the drawer pulse first on a cash sale (the drawer opens while
/// the ticket prints), the lines with their styles (centred lines centred by the printer, bold
/// and double-height titles), the QR code of `qr` centred below, a partial cut.
pub fn ticket(lines: &[TicketLine], qr: Option<&str>, drawer: bool, page: CodePage) -> Vec<u8> {
    let mut p = EscPos::new(page);
    if drawer {
        p.drawer_pulse();
    }
    let mut current = Style::default();
    for line in lines {
        let s = line.style;
        if s.center != current.center {
            p.align(if s.center { Align::Center } else { Align::Left });
        }
        if s.bold != current.bold {
            p.bold(s.bold);
        }
        if s.tall != current.tall {
            p.size(false, s.tall);
        }
        current = s;
        p.text(&line.text).line_feed();
    }
    if current.bold {
        p.bold(false);
    }
    if current.tall {
        p.size(false, false);
    }
    if let Some(data) = qr {
        p.align(Align::Center).line_feed().qr(data, 6).line_feed();
        current.center = true;
    }
    if current.center {
        p.align(Align::Left);
    }
    p.partial_cut();
    p.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_has_the_french_letters_and_the_euro() {
        let p = CodePage::Cp1252;
        assert_eq!(
            p.encode("éèàçôÉÈ€«»"),
            vec![0xE9, 0xE8, 0xE0, 0xE7, 0xF4, 0xC9, 0xC8, 0x80, 0xAB, 0xBB]
        );
        assert_eq!(p.encode("Œuf œ"), vec![0x8C, b'u', b'f', b' ', 0x9C]);
        assert_eq!(p.encode("a-b"), b"a-b".to_vec());
    }

    #[test]
    fn pc858_has_them_at_other_places_and_keeps_the_hyphen() {
        let p = CodePage::Pc858;
        assert_eq!(
            p.encode("éèàçôÉÈ€"),
            vec![0x82, 0x8A, 0x85, 0x87, 0x93, 0x90, 0xD4, 0xD5]
        );
        // The escpos crate maps '-' to 0xF0 in this table; it is plain ASCII.
        assert_eq!(p.encode("SOUS-COMPTE"), b"SOUS-COMPTE".to_vec());
        assert_eq!(p.encode("®Ô"), vec![0xA9, 0xE2]);
        // No Œ in PC858: a look-alike of the same width.
        assert_eq!(p.encode("Œuf"), b"Ouf".to_vec());
    }

    #[test]
    fn what_a_page_lacks_is_a_visible_question_mark_never_utf8() {
        assert_eq!(
            CodePage::Pc858.encode("日本 ✓ \u{1b}@ – ’"),
            b"?? ? ?@ - '".to_vec()
        );
        // Windows-1252 has the dash and the quote itself.
        assert_eq!(
            CodePage::Cp1252.encode("日本 ✓ \u{1b}@ – ’"),
            b"?? ? ?@ \x96 \x92".to_vec()
        );
        // One byte per character whatever the text: the columns stay where the layout put them.
        let s = "Crème brûlée ½ — ∑ 🍞";
        assert_eq!(CodePage::Pc858.encode(s).len(), s.chars().count());
        assert_eq!(CodePage::Cp1252.encode(s).len(), s.chars().count());
    }

    #[test]
    fn commands_are_the_bytes_of_the_reference() {
        let mut p = EscPos::new(CodePage::Pc858);
        p.drawer_pulse().partial_cut();
        assert_eq!(
            p.into_bytes(),
            vec![
                0x1B, 0x40, 0x1B, 0x74, 19, 0x1B, 0x70, 0x00, 0x19, 0xFA, 0x1D, 0x56, 66, 0
            ]
        );
        let mut p = EscPos::new(CodePage::Cp1252);
        p.qr("AB", 6);
        let b = p.into_bytes();
        assert_eq!(&b[..5], &[0x1B, 0x40, 0x1B, 0x74, 16]);
        assert_eq!(
            &b[5..],
            &[
                0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0, // Model 2
                0x1D, 0x28, 0x6B, 3, 0, 49, 67, 6, // module size
                0x1D, 0x28, 0x6B, 3, 0, 49, 69, 49, // error correction M
                0x1D, 0x28, 0x6B, 5, 0, 49, 80, 48, b'A', b'B', // store
                0x1D, 0x28, 0x6B, 3, 0, 49, 81, 48, // print
            ]
        );
    }

    #[test]
    fn a_ticket_centres_and_emphasises_by_style_and_pulses_only_when_asked() {
        let lines = vec![
            TicketLine {
                text: "CAFÉ".into(),
                style: Style {
                    center: true,
                    bold: true,
                    tall: true,
                },
            },
            TicketLine {
                text: "x".into(),
                style: Style::PLAIN,
            },
        ];
        let b = ticket(&lines, None, false, CodePage::Cp1252);
        assert_eq!(
            b,
            vec![
                0x1B, 0x40, 0x1B, 0x74, 16, // init, page
                0x1B, 0x61, 1, 0x1B, 0x45, 1, 0x1D, 0x21, 1, // centre, bold, tall
                b'C', b'A', b'F', 0xC9, 0x0A, // text
                0x1B, 0x61, 0, 0x1B, 0x45, 0, 0x1D, 0x21, 0, // back to plain
                b'x', 0x0A, 0x1D, 0x56, 66, 0
            ]
        );
        let with = ticket(&lines, Some("id"), true, CodePage::Cp1252);
        assert_eq!(&with[5..10], &[0x1B, 0x70, 0, 25, 250]);
        assert!(!b.windows(2).any(|w| w == [0x1B, 0x70]));
    }
}

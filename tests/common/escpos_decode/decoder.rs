//! A small ESC/POS decoder, written for the tests (no usable parser exists in the registries
//! this project reaches): it reads what a receipt printer would receive and gives back the
//! printed lines with their style, the cuts, the drawer pulses and the QR codes, decoding text
//! by the code page selected at that point (`ESC t n`: 0 = PC437, 16 = Windows-1252,
//! 19 = PC858), as the printer would.
//!
//! Commands understood: `ESC @`, `ESC t n`, `ESC E n`, `ESC a n`, `ESC ! n`, `ESC d n`,
//! `ESC p m t1 t2`, `GS ! n`, `GS V m [n]`, `GS k`, `GS ( k` (QR code functions 165 model,
//! 167 module size 1-16, 169 error correction, 180 store the data, 181 print what is stored),
//! `LF`, `CR`. Anything else is an error naming the byte and its offset: the decoder is strict
//! so that a stray byte in the encoder's output fails a test instead of printing garbage on
//! paper. Each QR code printed is a [`Qr`] with the data stored for it (what a scanner reads
//! off the paper); [`Decoded::qr_data`] is a ticket's one code.
//!
//! This file is the decoder alone (std, `encoding_rs` and `oem_cp`, nothing of the tests): the
//! fuzz crate includes it as it is (`fuzz/src/lib.rs`) to check the encoder's output, so there is
//! one decoder. The test printer and the ticket checks are in `../escpos_decode.rs`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// One printed line and the style it was printed in (the style in force at its first
/// character).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub text: String,
    pub bold: bool,
    pub align: Align,
    pub double_height: bool,
    pub double_width: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub partial: bool,
    /// Lines printed before the cut.
    pub after_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulse {
    /// 0: pin 2, 1: pin 5.
    pub pin: u8,
    pub on_ms: u32,
    pub off_ms: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qr {
    pub payload: String,
    /// 1, 2 or 3 (micro); 0 when never selected (the printer's default, Model 1 on most).
    pub model: u8,
    pub module: u8,
    /// b'L', b'M', b'Q' or b'H' (0 when never selected).
    pub ecc: u8,
    /// Lines printed before the code.
    pub after_line: usize,
}

/// Everything one byte stream printed.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    pub lines: Vec<Line>,
    pub cuts: Vec<Cut>,
    pub pulses: Vec<Pulse>,
    pub qrs: Vec<Qr>,
    pub barcodes: Vec<String>,
    /// The code pages selected, in order.
    pub code_pages: Vec<u8>,
    /// How many `ESC @`.
    pub inits: usize,
    /// Whether the very first command was `ESC @`.
    pub starts_with_init: bool,
}

impl Decoded {
    /// The data of the one QR code printed (what a scanner reads off the paper); `None` when
    /// none or several were printed.
    pub fn qr_data(&self) -> Option<&str> {
        match self.qrs.as_slice() {
            [one] => Some(one.payload.as_str()),
            _ => None,
        }
    }

    pub fn texts(&self) -> Vec<String> {
        self.lines.iter().map(|l| l.text.clone()).collect()
    }

    /// The first `n` lines as a plain-text ticket would show them on `width` columns: centred
    /// lines padded on the left by `(width - len) / 2` spaces (the layout's rule), each line
    /// ended by `\n`.
    pub fn plain(&self, n: usize, width: usize) -> String {
        let mut out = String::new();
        for l in self.lines.iter().take(n) {
            let len = l.text.chars().count();
            match l.align {
                Align::Center if len < width => {
                    out.push_str(&" ".repeat((width - len) / 2));
                    out.push_str(&l.text);
                }
                Align::Right if len < width => {
                    out.push_str(&" ".repeat(width - len));
                    out.push_str(&l.text);
                }
                _ => out.push_str(&l.text),
            }
            out.push('\n');
        }
        out
    }
}

#[derive(Debug)]
pub struct DecodeError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for DecodeError {}

struct State {
    page: u8,
    bold: bool,
    align: Align,
    double_height: bool,
    double_width: bool,
    line: Vec<u8>,
    line_style: Option<Line>,
    qr_model: u8,
    qr_module: u8,
    qr_ecc: u8,
    qr_data: Option<Vec<u8>>,
}

impl State {
    fn new() -> State {
        State {
            page: 0,
            bold: false,
            align: Align::Left,
            double_height: false,
            double_width: false,
            line: Vec::new(),
            line_style: None,
            qr_model: 0,
            qr_module: 0,
            qr_ecc: 0,
            qr_data: None,
        }
    }

    fn style(&self) -> Line {
        Line {
            text: String::new(),
            bold: self.bold,
            align: self.align,
            double_height: self.double_height,
            double_width: self.double_width,
        }
    }
}

/// The character of `byte` in code page table `page`.
pub fn decode_byte(page: u8, byte: u8) -> Result<char, String> {
    if byte < 0x80 {
        return Ok(byte as char);
    }
    match page {
        0 => Ok(oem_cp::decode_char_complete_table(
            byte,
            &oem_cp::code_table::DECODING_TABLE_CP437,
        )),
        16 => {
            let one = [byte];
            let (s, bad) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&one);
            let c = s.chars().next().unwrap_or('\u{fffd}');
            if bad || c.is_control() {
                Err(format!(
                    "0x{byte:02X} is not a printable Windows-1252 character"
                ))
            } else {
                Ok(c)
            }
        }
        19 => Ok(oem_cp::decode_char_complete_table(
            byte,
            &oem_cp::code_table::DECODING_TABLE_CP858,
        )),
        other => Err(format!(
            "code page table {other} is not known to the decoder"
        )),
    }
}

/// Decodes one byte stream.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut out = Decoded {
        starts_with_init: bytes.starts_with(&[0x1B, 0x40]),
        ..Decoded::default()
    };
    let mut st = State::new();
    let mut i = 0usize;
    let err = |offset: usize, message: String| DecodeError { offset, message };
    let need = |i: usize, n: usize, what: &str| -> Result<&[u8], DecodeError> {
        bytes.get(i..i + n).ok_or_else(|| DecodeError {
            offset: i,
            message: format!("{what}: stream ends inside the command"),
        })
    };

    fn end_line(st: &mut State, out: &mut Decoded, at: usize) -> Result<(), DecodeError> {
        let mut line = st.line_style.take().unwrap_or_else(|| st.style());
        let mut text = String::new();
        for &b in &st.line {
            text.push(decode_byte(st.page, b).map_err(|m| DecodeError {
                offset: at,
                message: m,
            })?);
        }
        st.line.clear();
        line.text = text;
        out.lines.push(line);
        Ok(())
    }

    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x0A => {
                end_line(&mut st, &mut out, i)?;
                i += 1;
            }
            0x0D => i += 1,
            0x1B => {
                let cmd = need(i + 1, 1, "ESC")?[0];
                match cmd {
                    b'@' => {
                        if !st.line.is_empty() {
                            return Err(err(i, "ESC @ with unprinted text in the buffer".into()));
                        }
                        st = State::new();
                        out.inits += 1;
                        i += 2;
                    }
                    b't' => {
                        let n = need(i + 2, 1, "ESC t")?[0];
                        if !st.line.is_empty() {
                            // The page applies to the characters that follow; a mixed line
                            // would be decoded wrongly here: refuse it.
                            return Err(err(i, "ESC t in the middle of a line".into()));
                        }
                        st.page = n;
                        out.code_pages.push(n);
                        i += 3;
                    }
                    b'E' => {
                        st.bold = need(i + 2, 1, "ESC E")?[0] & 1 == 1;
                        i += 3;
                    }
                    b'a' => {
                        let n = need(i + 2, 1, "ESC a")?[0];
                        st.align = match n {
                            0 | 48 => Align::Left,
                            1 | 49 => Align::Center,
                            2 | 50 => Align::Right,
                            _ => return Err(err(i, format!("ESC a {n}"))),
                        };
                        if !st.line.is_empty() {
                            return Err(err(
                                i,
                                "ESC a is only valid at the start of a line".into(),
                            ));
                        }
                        i += 3;
                    }
                    b'!' => {
                        let n = need(i + 2, 1, "ESC !")?[0];
                        st.bold = n & 0x08 != 0;
                        st.double_height = n & 0x10 != 0;
                        st.double_width = n & 0x20 != 0;
                        i += 3;
                    }
                    b'd' => {
                        let n = need(i + 2, 1, "ESC d")?[0];
                        end_line(&mut st, &mut out, i)?;
                        for _ in 1..n {
                            end_line(&mut st, &mut out, i)?;
                        }
                        i += 3;
                    }
                    b'p' => {
                        let p = need(i + 2, 3, "ESC p m t1 t2")?;
                        let pin = match p[0] {
                            0 | 48 => 0,
                            1 | 49 => 1,
                            m => return Err(err(i, format!("ESC p: bad pin {m}"))),
                        };
                        out.pulses.push(Pulse {
                            pin,
                            on_ms: u32::from(p[1]) * 2,
                            off_ms: u32::from(p[2]) * 2,
                        });
                        i += 5;
                    }
                    other => {
                        return Err(err(i, format!("unknown command ESC 0x{other:02X}")));
                    }
                }
            }
            0x1D => {
                let cmd = need(i + 1, 1, "GS")?[0];
                match cmd {
                    b'!' => {
                        let n = need(i + 2, 1, "GS !")?[0];
                        st.double_width = n & 0xF0 != 0;
                        st.double_height = n & 0x0F != 0;
                        i += 3;
                    }
                    b'V' => {
                        let m = need(i + 2, 1, "GS V")?[0];
                        let (partial, len) = match m {
                            0 | 48 => (false, 3),
                            1 | 49 => (true, 3),
                            65 => (false, 4),
                            66 => (true, 4),
                            _ => return Err(err(i, format!("GS V {m}"))),
                        };
                        need(i, len, "GS V m n")?;
                        if !st.line.is_empty() {
                            end_line(&mut st, &mut out, i)?;
                        }
                        out.cuts.push(Cut {
                            partial,
                            after_line: out.lines.len(),
                        });
                        i += len;
                    }
                    b'k' => {
                        let m = need(i + 2, 1, "GS k")?[0];
                        if m <= 6 {
                            let rest = bytes.get(i + 3..).unwrap_or(&[]);
                            let end = rest
                                .iter()
                                .position(|&b| b == 0)
                                .ok_or_else(|| err(i, "GS k: data not ended by NUL".into()))?;
                            out.barcodes
                                .push(String::from_utf8_lossy(&rest[..end]).into_owned());
                            i += 3 + end + 1;
                        } else {
                            let n = usize::from(need(i + 3, 1, "GS k m n")?[0]);
                            let data = need(i + 4, n, "GS k data")?;
                            out.barcodes
                                .push(String::from_utf8_lossy(data).into_owned());
                            i += 4 + n;
                        }
                    }
                    b'(' => {
                        let head = need(i + 2, 3, "GS ( fn")?;
                        if head[0] != b'k' {
                            return Err(err(i, format!("unknown command GS ( 0x{:02X}", head[0])));
                        }
                        let len = usize::from(head[1]) | (usize::from(head[2]) << 8);
                        let body = need(i + 5, len, "GS ( k parameters")?;
                        if body.len() < 2 || body[0] != 49 {
                            return Err(err(i, "GS ( k: only QR codes (cn 49) are known".into()));
                        }
                        match (body[1], &body[2..]) {
                            (65, [n1, 0]) => {
                                st.qr_model = match n1 {
                                    49 => 1,
                                    50 => 2,
                                    51 => 3,
                                    _ => return Err(err(i, format!("QR model {n1}"))),
                                }
                            }
                            (67, [n]) if (1..=16).contains(n) => st.qr_module = *n,
                            (69, [n]) => {
                                st.qr_ecc = match n {
                                    48 => b'L',
                                    49 => b'M',
                                    50 => b'Q',
                                    51 => b'H',
                                    _ => return Err(err(i, format!("QR correction {n}"))),
                                }
                            }
                            (80, [48, data @ ..]) => st.qr_data = Some(data.to_vec()),
                            (81, [48]) => {
                                let data = st
                                    .qr_data
                                    .clone()
                                    .ok_or_else(|| err(i, "QR print with no data stored".into()))?;
                                if !st.line.is_empty() {
                                    return Err(err(i, "QR print in the middle of a line".into()));
                                }
                                out.qrs.push(Qr {
                                    payload: String::from_utf8(data).map_err(|e| {
                                        err(i, format!("QR payload not UTF-8: {e}"))
                                    })?,
                                    model: st.qr_model,
                                    module: st.qr_module,
                                    ecc: st.qr_ecc,
                                    after_line: out.lines.len(),
                                });
                            }
                            (f, p) => {
                                return Err(err(i, format!("GS ( k function {f} with {p:?}")));
                            }
                        }
                        i += 5 + len;
                    }
                    other => {
                        return Err(err(i, format!("unknown command GS 0x{other:02X}")));
                    }
                }
            }
            b if b < 0x20 || b == 0x7F => {
                return Err(err(i, format!("control byte 0x{b:02X} in text")));
            }
            _ => {
                if st.line.is_empty() {
                    st.line_style = Some(st.style());
                }
                st.line.push(b);
                i += 1;
            }
        }
    }
    if !st.line.is_empty() {
        return Err(err(
            bytes.len(),
            "text left unprinted: no LF at the end".into(),
        ));
    }
    Ok(out)
}

/// True when `bytes` contains the UTF-8 encoding of one of `chars` (é as C3 A9, € as E2 82 AC…):
/// what the original till sent and printers printed as gibberish.
pub fn contains_utf8_of(bytes: &[u8], chars: &str) -> Option<char> {
    chars.chars().find(|c| {
        let mut buf = [0u8; 4];
        let enc = c.encode_utf8(&mut buf).as_bytes();
        enc.len() > 1 && bytes.windows(enc.len()).any(|w| w == enc)
    })
}

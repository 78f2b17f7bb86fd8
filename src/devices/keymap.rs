//! Scanner keymaps: Linux evdev key codes → characters, for the layout the *scanner* types with.
//!
//! A USB barcode scanner is a keyboard: it turns each character of a code into the key presses
//! that type it on the layout it was configured for (US, Belgian AZERTY…). Reading it through the
//! host's keyboard layout garbles it as soon as the two differ (a US scanner read through Belgian
//! AZERTY gives `&é"'(§è!çà` for `1234567890`). Reading key codes through evdev takes the host's
//! layout out of the picture; this module puts the scanner's own layout back.
//!
//! **Digits come from the digit keys whatever the shift state**: a US scanner types `1` as
//! KEY_1, an AZERTY scanner as Shift+KEY_1; both read as `1`, so a scanner set to the wrong
//! layout still reads every EAN/UPC code right (Odoo's PosBox did the same). The price is that
//! the symbols on the digit row (`!@#…` on US, `&é"…` on AZERTY) cannot be read; AltGr symbols
//! on that row (`@`, `#`, `{`… on AZERTY) still can. Keypad digits read as digits too.
//! Letters and punctuation go through the layout with Shift, AltGr and Caps Lock.
//!
//! Key codes are the numeric values of linux/input-event-codes.h, so this module is pure and
//! does not depend on the evdev crate.

use std::fmt;

/// Key codes from linux/input-event-codes.h used by the scanner decoder.
pub mod codes {
    pub const KEY_ESC: u16 = 1;
    pub const KEY_1: u16 = 2;
    pub const KEY_2: u16 = 3;
    pub const KEY_3: u16 = 4;
    pub const KEY_4: u16 = 5;
    pub const KEY_5: u16 = 6;
    pub const KEY_6: u16 = 7;
    pub const KEY_7: u16 = 8;
    pub const KEY_8: u16 = 9;
    pub const KEY_9: u16 = 10;
    pub const KEY_0: u16 = 11;
    pub const KEY_MINUS: u16 = 12;
    pub const KEY_EQUAL: u16 = 13;
    pub const KEY_BACKSPACE: u16 = 14;
    pub const KEY_TAB: u16 = 15;
    pub const KEY_Q: u16 = 16;
    pub const KEY_W: u16 = 17;
    pub const KEY_E: u16 = 18;
    pub const KEY_R: u16 = 19;
    pub const KEY_T: u16 = 20;
    pub const KEY_Y: u16 = 21;
    pub const KEY_U: u16 = 22;
    pub const KEY_I: u16 = 23;
    pub const KEY_O: u16 = 24;
    pub const KEY_P: u16 = 25;
    pub const KEY_LEFTBRACE: u16 = 26;
    pub const KEY_RIGHTBRACE: u16 = 27;
    pub const KEY_ENTER: u16 = 28;
    pub const KEY_LEFTCTRL: u16 = 29;
    pub const KEY_A: u16 = 30;
    pub const KEY_S: u16 = 31;
    pub const KEY_D: u16 = 32;
    pub const KEY_F: u16 = 33;
    pub const KEY_G: u16 = 34;
    pub const KEY_H: u16 = 35;
    pub const KEY_J: u16 = 36;
    pub const KEY_K: u16 = 37;
    pub const KEY_L: u16 = 38;
    pub const KEY_SEMICOLON: u16 = 39;
    pub const KEY_APOSTROPHE: u16 = 40;
    pub const KEY_GRAVE: u16 = 41;
    pub const KEY_LEFTSHIFT: u16 = 42;
    pub const KEY_BACKSLASH: u16 = 43;
    pub const KEY_Z: u16 = 44;
    pub const KEY_X: u16 = 45;
    pub const KEY_C: u16 = 46;
    pub const KEY_V: u16 = 47;
    pub const KEY_B: u16 = 48;
    pub const KEY_N: u16 = 49;
    pub const KEY_M: u16 = 50;
    pub const KEY_COMMA: u16 = 51;
    pub const KEY_DOT: u16 = 52;
    pub const KEY_SLASH: u16 = 53;
    pub const KEY_RIGHTSHIFT: u16 = 54;
    pub const KEY_KPASTERISK: u16 = 55;
    pub const KEY_LEFTALT: u16 = 56;
    pub const KEY_SPACE: u16 = 57;
    pub const KEY_CAPSLOCK: u16 = 58;
    pub const KEY_NUMLOCK: u16 = 69;
    pub const KEY_KP7: u16 = 71;
    pub const KEY_KP8: u16 = 72;
    pub const KEY_KP9: u16 = 73;
    pub const KEY_KPMINUS: u16 = 74;
    pub const KEY_KP4: u16 = 75;
    pub const KEY_KP5: u16 = 76;
    pub const KEY_KP6: u16 = 77;
    pub const KEY_KPPLUS: u16 = 78;
    pub const KEY_KP1: u16 = 79;
    pub const KEY_KP2: u16 = 80;
    pub const KEY_KP3: u16 = 81;
    pub const KEY_KP0: u16 = 82;
    pub const KEY_KPDOT: u16 = 83;
    /// The extra key left of Z on ISO keyboards (`<>` on AZERTY).
    pub const KEY_102ND: u16 = 86;
    pub const KEY_KPENTER: u16 = 96;
    pub const KEY_RIGHTCTRL: u16 = 97;
    pub const KEY_KPSLASH: u16 = 98;
    /// AltGr.
    pub const KEY_RIGHTALT: u16 = 100;
    pub const KEY_LEFTMETA: u16 = 125;
    pub const KEY_RIGHTMETA: u16 = 126;
}

use codes::*;

/// The layout a scanner types with (`scanner.keymap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// US QWERTY.
    Us,
    /// Belgian AZERTY.
    Be,
    /// French AZERTY.
    Fr,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::Us, Layout::Be, Layout::Fr];

    /// `us`, `be` (also `be-azerty`, `azerty-be`), `fr`.
    pub fn parse(s: &str) -> Option<Layout> {
        match s.trim().to_ascii_lowercase().as_str() {
            "us" | "en-us" | "qwerty" => Some(Layout::Us),
            "be" | "be-azerty" | "azerty-be" | "fr-be" | "nl-be" => Some(Layout::Be),
            "fr" | "fr-azerty" | "azerty-fr" => Some(Layout::Fr),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Us => "us",
            Layout::Be => "be",
            Layout::Fr => "fr",
        }
    }

    fn table(self) -> &'static [Entry] {
        match self {
            Layout::Us => US,
            Layout::Be => BE,
            Layout::Fr => FR,
        }
    }

    /// The character key `code` types with `mods` on this layout, or `None` for keys that type
    /// nothing (modifiers, function keys, Enter, unknown codes). Digits come from the digit row
    /// and the keypad whatever Shift says (see the module documentation).
    pub fn char_for(self, code: u16, mods: Modifiers) -> Option<char> {
        if mods.ctrl || mods.alt {
            // Ctrl+key and Alt+key are commands, not characters (a scanner's GS1 separator is
            // Ctrl+]; it cannot be part of an article code anyway).
            return None;
        }
        if let Some(c) = keypad_digit(code).or_else(|| same_on_every_layout(code)) {
            return Some(c);
        }
        let entry = self.table().iter().find(|e| e.0 == code)?;
        if mods.altgr {
            return entry.3;
        }
        if let Some(d) = digit_row(code) {
            return Some(d);
        }
        let (normal, shifted) = (entry.1, entry.2);
        // Caps Lock inverts Shift for letters only (as on a PC keyboard).
        let shift = if normal.is_alphabetic() && shifted.is_alphabetic() {
            mods.shift != mods.caps
        } else {
            mods.shift
        };
        Some(if shift { shifted } else { normal })
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The modifier state while a key is pressed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Modifiers {
    pub shift: bool,
    /// AltGr (right Alt): the third level of European layouts.
    pub altgr: bool,
    /// Left Alt.
    pub alt: bool,
    pub ctrl: bool,
    /// Caps Lock (toggled by its key).
    pub caps: bool,
}

/// The digit a digit-row key (KEY_1..KEY_0) stands for.
pub fn digit_row(code: u16) -> Option<char> {
    match code {
        KEY_1..=KEY_9 => char::from_digit(u32::from(code - KEY_1 + 1), 10),
        KEY_0 => Some('0'),
        _ => None,
    }
}

/// The digit a keypad key (KEY_KP0..KEY_KP9) stands for.
pub fn keypad_digit(code: u16) -> Option<char> {
    Some(match code {
        KEY_KP0 => '0',
        KEY_KP1 => '1',
        KEY_KP2 => '2',
        KEY_KP3 => '3',
        KEY_KP4 => '4',
        KEY_KP5 => '5',
        KEY_KP6 => '6',
        KEY_KP7 => '7',
        KEY_KP8 => '8',
        KEY_KP9 => '9',
        _ => return None,
    })
}

/// Keypad symbols and the space bar type the same character on every layout.
fn same_on_every_layout(code: u16) -> Option<char> {
    Some(match code {
        KEY_KPASTERISK => '*',
        KEY_KPMINUS => '-',
        KEY_KPPLUS => '+',
        KEY_KPSLASH => '/',
        KEY_KPDOT => '.',
        KEY_SPACE => ' ',
        _ => return None,
    })
}

/// (key code, unshifted, shifted, AltGr).
type Entry = (u16, char, char, Option<char>);

static US: &[Entry] = &[
    (KEY_1, '1', '!', None),
    (KEY_2, '2', '@', None),
    (KEY_3, '3', '#', None),
    (KEY_4, '4', '$', None),
    (KEY_5, '5', '%', None),
    (KEY_6, '6', '^', None),
    (KEY_7, '7', '&', None),
    (KEY_8, '8', '*', None),
    (KEY_9, '9', '(', None),
    (KEY_0, '0', ')', None),
    (KEY_MINUS, '-', '_', None),
    (KEY_EQUAL, '=', '+', None),
    (KEY_Q, 'q', 'Q', None),
    (KEY_W, 'w', 'W', None),
    (KEY_E, 'e', 'E', None),
    (KEY_R, 'r', 'R', None),
    (KEY_T, 't', 'T', None),
    (KEY_Y, 'y', 'Y', None),
    (KEY_U, 'u', 'U', None),
    (KEY_I, 'i', 'I', None),
    (KEY_O, 'o', 'O', None),
    (KEY_P, 'p', 'P', None),
    (KEY_LEFTBRACE, '[', '{', None),
    (KEY_RIGHTBRACE, ']', '}', None),
    (KEY_A, 'a', 'A', None),
    (KEY_S, 's', 'S', None),
    (KEY_D, 'd', 'D', None),
    (KEY_F, 'f', 'F', None),
    (KEY_G, 'g', 'G', None),
    (KEY_H, 'h', 'H', None),
    (KEY_J, 'j', 'J', None),
    (KEY_K, 'k', 'K', None),
    (KEY_L, 'l', 'L', None),
    (KEY_SEMICOLON, ';', ':', None),
    (KEY_APOSTROPHE, '\'', '"', None),
    (KEY_GRAVE, '`', '~', None),
    (KEY_BACKSLASH, '\\', '|', None),
    (KEY_Z, 'z', 'Z', None),
    (KEY_X, 'x', 'X', None),
    (KEY_C, 'c', 'C', None),
    (KEY_V, 'v', 'V', None),
    (KEY_B, 'b', 'B', None),
    (KEY_N, 'n', 'N', None),
    (KEY_M, 'm', 'M', None),
    (KEY_COMMA, ',', '<', None),
    (KEY_DOT, '.', '>', None),
    (KEY_SLASH, '/', '?', None),
    (KEY_102ND, '\\', '|', None),
];

/// Belgian AZERTY (Linux `be`). Dead keys (^ ¨ ´ ` ~) type their accent itself: a scanner
/// sends them followed by a space when it means the symbol.
static BE: &[Entry] = &[
    (KEY_1, '&', '1', Some('|')),
    (KEY_2, 'é', '2', Some('@')),
    (KEY_3, '"', '3', Some('#')),
    (KEY_4, '\'', '4', None),
    (KEY_5, '(', '5', None),
    (KEY_6, '§', '6', Some('^')),
    (KEY_7, 'è', '7', None),
    (KEY_8, '!', '8', None),
    (KEY_9, 'ç', '9', Some('{')),
    (KEY_0, 'à', '0', Some('}')),
    (KEY_MINUS, ')', '°', None),
    (KEY_EQUAL, '-', '_', None),
    (KEY_Q, 'a', 'A', None),
    (KEY_W, 'z', 'Z', None),
    (KEY_E, 'e', 'E', Some('€')),
    (KEY_R, 'r', 'R', None),
    (KEY_T, 't', 'T', None),
    (KEY_Y, 'y', 'Y', None),
    (KEY_U, 'u', 'U', None),
    (KEY_I, 'i', 'I', None),
    (KEY_O, 'o', 'O', None),
    (KEY_P, 'p', 'P', None),
    (KEY_LEFTBRACE, '^', '¨', Some('[')),
    (KEY_RIGHTBRACE, '$', '*', Some(']')),
    (KEY_A, 'q', 'Q', None),
    (KEY_S, 's', 'S', None),
    (KEY_D, 'd', 'D', None),
    (KEY_F, 'f', 'F', None),
    (KEY_G, 'g', 'G', None),
    (KEY_H, 'h', 'H', None),
    (KEY_J, 'j', 'J', None),
    (KEY_K, 'k', 'K', None),
    (KEY_L, 'l', 'L', None),
    (KEY_SEMICOLON, 'm', 'M', None),
    (KEY_APOSTROPHE, 'ù', '%', Some('´')),
    (KEY_GRAVE, '²', '³', None),
    (KEY_BACKSLASH, 'µ', '£', Some('`')),
    (KEY_Z, 'w', 'W', None),
    (KEY_X, 'x', 'X', None),
    (KEY_C, 'c', 'C', None),
    (KEY_V, 'v', 'V', None),
    (KEY_B, 'b', 'B', None),
    (KEY_N, 'n', 'N', None),
    (KEY_M, ',', '?', None),
    (KEY_COMMA, ';', '.', None),
    (KEY_DOT, ':', '/', None),
    (KEY_SLASH, '=', '+', Some('~')),
    (KEY_102ND, '<', '>', Some('\\')),
];

/// French AZERTY (Linux `fr`).
static FR: &[Entry] = &[
    (KEY_1, '&', '1', None),
    (KEY_2, 'é', '2', Some('~')),
    (KEY_3, '"', '3', Some('#')),
    (KEY_4, '\'', '4', Some('{')),
    (KEY_5, '(', '5', Some('[')),
    (KEY_6, '-', '6', Some('|')),
    (KEY_7, 'è', '7', Some('`')),
    (KEY_8, '_', '8', Some('\\')),
    (KEY_9, 'ç', '9', Some('^')),
    (KEY_0, 'à', '0', Some('@')),
    (KEY_MINUS, ')', '°', Some(']')),
    (KEY_EQUAL, '=', '+', Some('}')),
    (KEY_Q, 'a', 'A', None),
    (KEY_W, 'z', 'Z', None),
    (KEY_E, 'e', 'E', Some('€')),
    (KEY_R, 'r', 'R', None),
    (KEY_T, 't', 'T', None),
    (KEY_Y, 'y', 'Y', None),
    (KEY_U, 'u', 'U', None),
    (KEY_I, 'i', 'I', None),
    (KEY_O, 'o', 'O', None),
    (KEY_P, 'p', 'P', None),
    (KEY_LEFTBRACE, '^', '¨', None),
    (KEY_RIGHTBRACE, '$', '£', Some('¤')),
    (KEY_A, 'q', 'Q', None),
    (KEY_S, 's', 'S', None),
    (KEY_D, 'd', 'D', None),
    (KEY_F, 'f', 'F', None),
    (KEY_G, 'g', 'G', None),
    (KEY_H, 'h', 'H', None),
    (KEY_J, 'j', 'J', None),
    (KEY_K, 'k', 'K', None),
    (KEY_L, 'l', 'L', None),
    (KEY_SEMICOLON, 'm', 'M', None),
    (KEY_APOSTROPHE, 'ù', '%', None),
    (KEY_GRAVE, '²', '~', None),
    (KEY_BACKSLASH, '*', 'µ', None),
    (KEY_Z, 'w', 'W', None),
    (KEY_X, 'x', 'X', None),
    (KEY_C, 'c', 'C', None),
    (KEY_V, 'v', 'V', None),
    (KEY_B, 'b', 'B', None),
    (KEY_N, 'n', 'N', None),
    (KEY_M, ',', '?', None),
    (KEY_COMMA, ';', '.', None),
    (KEY_DOT, ':', '/', None),
    (KEY_SLASH, '!', '§', None),
    (KEY_102ND, '<', '>', None),
];

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Modifiers = Modifiers {
        shift: false,
        altgr: false,
        alt: false,
        ctrl: false,
        caps: false,
    };
    const SHIFT: Modifiers = Modifiers {
        shift: true,
        ..NONE
    };
    const ALTGR: Modifiers = Modifiers {
        altgr: true,
        ..NONE
    };

    fn row(layout: Layout, mods: Modifiers) -> String {
        (KEY_1..=KEY_0)
            .filter_map(|c| layout.char_for(c, mods))
            .collect()
    }

    #[test]
    fn digits_read_the_same_with_or_without_shift_on_every_layout() {
        for layout in Layout::ALL {
            assert_eq!(row(layout, NONE), "1234567890", "{layout}");
            assert_eq!(row(layout, SHIFT), "1234567890", "{layout}");
            let caps = Modifiers { caps: true, ..NONE };
            assert_eq!(row(layout, caps), "1234567890", "{layout}");
        }
    }

    #[test]
    fn keypad_digits_are_digits() {
        let kp = [
            KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4, KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9,
            KEY_KP0,
        ];
        for layout in Layout::ALL {
            let s: String = kp
                .iter()
                .filter_map(|&c| layout.char_for(c, SHIFT))
                .collect();
            assert_eq!(s, "1234567890");
        }
    }

    #[test]
    fn letters_follow_the_scanner_layout() {
        // The physical keys a US keyboard labels Q, A, Z, M, W.
        let keys = [KEY_Q, KEY_A, KEY_Z, KEY_SEMICOLON, KEY_W, KEY_M];
        let typed =
            |l: Layout, m| -> String { keys.iter().filter_map(|&c| l.char_for(c, m)).collect() };
        assert_eq!(typed(Layout::Us, NONE), "qaz;wm");
        assert_eq!(typed(Layout::Us, SHIFT), "QAZ:WM");
        assert_eq!(typed(Layout::Be, NONE), "aqwmz,");
        assert_eq!(typed(Layout::Be, SHIFT), "AQWMZ?");
        assert_eq!(typed(Layout::Fr, NONE), "aqwmz,");
    }

    #[test]
    fn caps_lock_inverts_shift_for_letters_only() {
        let caps = Modifiers { caps: true, ..NONE };
        let caps_shift = Modifiers {
            caps: true,
            shift: true,
            ..NONE
        };
        assert_eq!(Layout::Us.char_for(KEY_A, caps), Some('A'));
        assert_eq!(Layout::Us.char_for(KEY_A, caps_shift), Some('a'));
        assert_eq!(Layout::Us.char_for(KEY_MINUS, caps), Some('-'));
        assert_eq!(Layout::Be.char_for(KEY_APOSTROPHE, caps), Some('ù'));
    }

    #[test]
    fn altgr_symbols_of_azerty() {
        assert_eq!(Layout::Be.char_for(KEY_2, ALTGR), Some('@'));
        assert_eq!(Layout::Be.char_for(KEY_E, ALTGR), Some('€'));
        assert_eq!(Layout::Be.char_for(KEY_102ND, ALTGR), Some('\\'));
        assert_eq!(Layout::Be.char_for(KEY_R, ALTGR), None);
        assert_eq!(Layout::Fr.char_for(KEY_0, ALTGR), Some('@'));
    }

    #[test]
    fn punctuation_of_each_layout() {
        let keys = [KEY_MINUS, KEY_EQUAL, KEY_DOT, KEY_SLASH, KEY_COMMA];
        let typed =
            |l: Layout, m| -> String { keys.iter().filter_map(|&c| l.char_for(c, m)).collect() };
        assert_eq!(typed(Layout::Us, NONE), "-=./,");
        assert_eq!(typed(Layout::Us, SHIFT), "_+>?<");
        assert_eq!(typed(Layout::Be, NONE), ")-:=;");
        assert_eq!(typed(Layout::Be, SHIFT), "°_/+.");
    }

    #[test]
    fn keys_that_type_nothing() {
        for code in [
            0,
            KEY_ESC,
            KEY_ENTER,
            KEY_KPENTER,
            KEY_TAB,
            KEY_LEFTSHIFT,
            KEY_RIGHTSHIFT,
            KEY_CAPSLOCK,
            KEY_BACKSPACE,
            KEY_RIGHTALT,
            59,
            300,
            u16::MAX,
        ] {
            for layout in Layout::ALL {
                assert_eq!(layout.char_for(code, NONE), None, "{code}");
            }
        }
        let ctrl = Modifiers { ctrl: true, ..NONE };
        assert_eq!(Layout::Us.char_for(KEY_A, ctrl), None);
    }

    #[test]
    fn layout_names() {
        for l in Layout::ALL {
            assert_eq!(Layout::parse(l.as_str()), Some(l));
        }
        assert_eq!(Layout::parse(" BE "), Some(Layout::Be));
        assert_eq!(Layout::parse("dvorak"), None);
    }
}

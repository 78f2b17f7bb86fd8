//! The FLTK touch screen: a view over the runtime. It sends [`Command`]s (and the admin's
//! [`AdminRequest`]s) and renders the [`TillEvent`]s that come back; no business rule lives here
//! (DESIGN §2). Its parts: `model` (the state of every screen and the one `update` function,
//! pure, tested without a display), `render` (draws a model onto the widgets), `view` (builds
//! the widgets, one module per screen), `shell` (the window and the event loop), `probe`.
//! FLTK owns the main thread; the actix runtime runs on a thread of its own, so no network,
//! disk or printer wait ever reaches the screen.
//!
//! One message enum, [`Msg`], for the whole GUI (fltk's channel is global and silently drops
//! messages of another type). Screens: login, till, payment, return, admin (days, report,
//! journal, products, staff, drawer); overlays: amount keypad, which-account dialog, change due,
//! confirmation, the denomination counter, the discount dialog, the manager's approval, the
//! return's last step and the amount it gives back, the on-screen AZERTY keyboard; above them
//! all, the alarm of a provider refund that failed. Words in French, Dutch or English (`locales/*/gui.ftl`: the
//! till's language on the login screen, the cashier's once logged in), amounts `18,70 €`,
//! every touch target at least 48 px at 800×480.
//!
//! With `KACHING_GUI_PROBE=/path/file.json` the GUI writes what it shows (screen, named widgets
//! and their screen coordinates, texts, basket, list rows, timings) after every message: the
//! end-to-end tests drive the real window with xdotool and read what it shows from there.

pub mod model;
mod probe;
mod render;
mod shell;
mod view;
mod widgets;

use std::time::Instant;

use fltk::app as fl;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::actors::admin::{AdminReply, AdminRequest, ExportFormat};
use crate::actors::{Command, CommandError, Till, TillEvent};
use crate::clock::SharedClock;
use crate::domain::Account;

/// What the screen asks of the runtime.
#[derive(Debug)]
pub enum Request {
    Command(Command),
    Admin(AdminRequest),
}

/// The lists a row can be picked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListId {
    Basket,
    Days,
    Report,
    Journal,
    Products,
    Staff,
    /// The past Z reports in the « Caisse » pane.
    ZReports,
    /// The lines of the ticket being returned.
    Refund,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminTab {
    Days,
    Journal,
    Products,
    Staff,
    Drawer,
}

/// Where the on-screen keyboard types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KbdTarget {
    Article,
    JournalFrom,
    JournalTo,
    ProductCode,
    ProductBarcode,
    ProductName,
    ProductPrice,
    ImportPath,
    StaffId,
    StaffName,
    StaffPin,
    DrawerReason,
    /// The ticket to return (its number, till/number, or the sale id of its QR code).
    ReturnTicket,
    /// A discount's reason typed freely.
    DiscountReason,
    /// A return's reason typed freely.
    RefundReason,
}

/// A user action on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ui {
    LoginKey(char),
    LoginClear,
    LoginBack,
    LoginOk,
    LoginIdEnter,
    /// The login screen in another language.
    LoginLang(crate::i18n::Lang),
    Article,
    Withdraw,
    ToggleSub,
    Plus,
    Minus,
    Void,
    Pay,
    Cash,
    Logout,
    /// The administrator: from the admin screens to the till, and back.
    AdminToTill,
    TillToAdmin,
    AmountKey(char),
    AmountBack,
    AmountOk,
    AmountCancel,
    Choose(Account),
    PayStatus,
    PayCancel,
    CashOk,
    Reprint,
    Tab(AdminTab),
    DaysOpen,
    DaysDelete,
    ConfirmYes,
    ConfirmNo,
    ReportBack,
    Export(ExportFormat),
    JournalShow,
    ProductSave,
    ProductToggle,
    ProductImport,
    StaffAdd,
    StaffToggle,
    /// The language choice changed: saved for the selected person.
    StaffLang,
    StaffResetPin,
    Select(ListId),
    /// The counter: a denomination picked (an index into `cash_count::DENOMINATIONS`), a
    /// digit of its number of pieces, « ⌫ », « Valider », « Plus tard » / « Annuler ».
    CountPick(usize),
    CountKey(char),
    CountBack,
    /// « C »: the picked denomination back to 0.
    CountClear,
    CountOk,
    CountCancel,
    /// « Caisse »: open the drawer with a counted float, cash in, cash out, X, Z, the past Zs.
    DrawerFloat,
    DrawerIn,
    DrawerOut,
    DrawerX,
    DrawerZ,
    DrawerHistory,
    /// « Remise »: the dialog for the selected line (or the basket); what it applies to, how
    /// (a percentage, an amount off, a new price), the value on its keypad, a preset reason,
    /// « Retirer la remise », « Valider », « Annuler ».
    Discount,
    DiscountOnLine,
    DiscountOnBasket,
    DiscountKind(crate::gui::model::DiscountKind),
    DiscountKey(char),
    DiscountBack,
    DiscountReason(usize),
    DiscountRemove,
    DiscountOk,
    DiscountCancel,
    /// The manager's approval: a keypad typing the ID or the PIN (whichever was touched last).
    ApproveId,
    ApprovePin,
    ApproveKey(char),
    ApproveClear,
    ApproveBack,
    ApproveOk,
    ApproveCancel,
    /// « Retour »: the return screen; the ticket looked up; the picked line's quantity on a
    /// keypad (« Tout »: what is left to return); « Rembourser… »; « Annuler ».
    Return,
    ReturnFind,
    ReturnKey(char),
    ReturnClear,
    ReturnBack,
    ReturnAll,
    ReturnQtyOk,
    ReturnNext,
    ReturnCancel,
    /// The return's last step: the tender, a preset reason, « Rembourser », « Retour ».
    RefundTender(crate::domain::refund::RefundTender),
    RefundReason(usize),
    RefundOk,
    RefundBack,
    /// The amount given back was seen (the till screen comes back).
    RefundedOk,
    /// A failed provider refund was acknowledged.
    AlarmOk,
    Keyboard(KbdTarget),
    Kbd(char),
    KbdBack,
    KbdEnter,
    KbdShift,
    KbdClose,
    Close,
}

/// The one message type of the GUI.
#[derive(Debug, Clone)]
pub enum Msg {
    Event(Box<TillEvent>),
    Admin(Box<Result<AdminReply, CommandError>>),
    Ui(Ui),
    /// Once a second: the clock, and a status refresh every few seconds.
    Tick,
}

/// How the window opens.
#[derive(Debug, Clone, Copy)]
pub struct WindowMode {
    /// `None`: full screen at the display's size.
    pub size: Option<(i32, i32)>,
}

/// Parses `800x480`.
pub fn parse_size(s: &str) -> Result<(i32, i32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("'{s}' is not WIDTHxHEIGHT (e.g. 800x480)"))?;
    let w: i32 = w
        .trim()
        .parse()
        .map_err(|_| format!("bad width in '{s}'"))?;
    let h: i32 = h
        .trim()
        .parse()
        .map_err(|_| format!("bad height in '{s}'"))?;
    if !(320..=7680).contains(&w) || !(240..=4320).contains(&h) {
        return Err(format!("'{s}' is out of range (320x240 to 7680x4320)"));
    }
    Ok((w, h))
}

/// The GUI's end of the link: requests out, messages in.
pub struct Link {
    pub requests: UnboundedSender<Request>,
    pub messages: fl::Sender<Msg>,
}

/// The runtime's end: run [`serve`] with it on the runtime thread.
pub struct RuntimeEnd {
    requests: UnboundedReceiver<Request>,
    messages: fl::Sender<Msg>,
}

/// Creates the FLTK app, the channel and the window (main thread). Returns the GUI to run and
/// the runtime's end of the link.
pub fn open(
    mode: WindowMode,
    shop_name: &str,
    lang: crate::i18n::Lang,
    tz: chrono_tz::Tz,
    clock: SharedClock,
    started: Instant,
) -> anyhow::Result<(shell::Gui, RuntimeEnd)> {
    let (tx, rx) = unbounded_channel();
    let gui = shell::Gui::new(mode, shop_name, lang, tz, clock, started, tx)?;
    let end = RuntimeEnd {
        requests: rx,
        messages: gui.sender(),
    };
    Ok((gui, end))
}

/// The runtime side: forwards every [`TillEvent`] to the screen, runs the screen's commands in
/// order and its admin requests alongside (a slow report never delays a scan).
pub async fn serve(till: Till, end: RuntimeEnd) {
    let RuntimeEnd {
        mut requests,
        messages,
    } = end;
    let mut events = till.subscribe();
    let to_screen = messages;
    actix::spawn(async move {
        while let Some(e) = events.recv().await {
            to_screen.send(Msg::Event(Box::new(e)));
        }
    });
    till.report_start_problems();
    till.execute(Command::Status).await;
    while let Some(r) = requests.recv().await {
        match r {
            Request::Command(Command::Quit) => break,
            Request::Command(c) => till.execute(c).await,
            Request::Admin(a) => {
                let t = till.clone();
                let m = messages;
                actix::spawn(async move {
                    let reply = t.admin(a).await;
                    m.send(Msg::Admin(Box::new(reply)));
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn window_sizes_parse_and_bad_ones_say_why() {
        assert_eq!(parse_size("800x480"), Ok((800, 480)));
        assert_eq!(parse_size("1280X800"), Ok((1280, 800)));
        assert!(parse_size("800").unwrap_err().contains("WIDTHxHEIGHT"));
        assert!(parse_size("axb").unwrap_err().contains("bad width"));
        assert!(parse_size("800xz").unwrap_err().contains("bad height"));
        assert!(parse_size("10x10").unwrap_err().contains("out of range"));
    }
}

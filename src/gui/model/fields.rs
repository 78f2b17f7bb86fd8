//! The fields a person types into and the choices and rows they pick: the model's copy of
//! what the widgets hold (the shell copies it in before each update and back after).

use crate::gui::KbdTarget;

/// Every field a person can type into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    LoginId,
    LoginPin,
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
    /// The reason of a cash-in or cash-out (« Caisse » pane).
    DrawerReason,
    /// The ticket to return (a text field: typed, or a keyboard-mode scanner's QR code).
    ReturnTicket,
    /// A discount's reason (shown in the dialog, typed on the on-screen keyboard or picked).
    DiscountReason,
    /// A return's reason (likewise).
    RefundReason,
}

impl From<KbdTarget> for Field {
    fn from(t: KbdTarget) -> Field {
        match t {
            KbdTarget::Article => Field::Article,
            KbdTarget::JournalFrom => Field::JournalFrom,
            KbdTarget::JournalTo => Field::JournalTo,
            KbdTarget::ProductCode => Field::ProductCode,
            KbdTarget::ProductBarcode => Field::ProductBarcode,
            KbdTarget::ProductName => Field::ProductName,
            KbdTarget::ProductPrice => Field::ProductPrice,
            KbdTarget::ImportPath => Field::ImportPath,
            KbdTarget::StaffId => Field::StaffId,
            KbdTarget::StaffName => Field::StaffName,
            KbdTarget::StaffPin => Field::StaffPin,
            KbdTarget::DrawerReason => Field::DrawerReason,
            KbdTarget::ReturnTicket => Field::ReturnTicket,
            KbdTarget::DiscountReason => Field::DiscountReason,
            KbdTarget::RefundReason => Field::RefundReason,
        }
    }
}

/// What the text fields, the choices and the lists' selections hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub login_id: String,
    pub login_pin: String,
    pub article: String,
    pub journal_from: String,
    pub journal_to: String,
    pub product_code: String,
    pub product_barcode: String,
    pub product_name: String,
    pub product_price: String,
    /// Index into [`VAT_CHOICES`].
    pub product_vat: usize,
    pub import_path: String,
    pub staff_id: String,
    pub staff_name: String,
    pub staff_pin: String,
    /// 0 cashier, 1 admin.
    pub staff_role: usize,
    /// Index into [`Lang::ALL`].
    pub staff_lang: usize,
    pub drawer_reason: String,
    pub return_ticket: String,
    pub discount_reason: String,
    pub refund_reason: String,
    /// The field that has the keyboard focus.
    pub focus: Option<Field>,
    /// The selected row of the basket and of the admin's lists, as the widgets have it.
    pub basket_sel: Option<usize>,
    pub days_sel: Option<usize>,
    pub products_sel: Option<usize>,
    pub staff_sel: Option<usize>,
    /// The past Z picked in the « Caisse » pane.
    pub drawer_sel: Option<usize>,
    /// The line of the ticket being returned that the keypad sets.
    pub refund_sel: Option<usize>,
}

impl Fields {
    pub fn text_mut(&mut self, f: Field) -> &mut String {
        match f {
            Field::LoginId => &mut self.login_id,
            Field::LoginPin => &mut self.login_pin,
            Field::Article => &mut self.article,
            Field::JournalFrom => &mut self.journal_from,
            Field::JournalTo => &mut self.journal_to,
            Field::ProductCode => &mut self.product_code,
            Field::ProductBarcode => &mut self.product_barcode,
            Field::ProductName => &mut self.product_name,
            Field::ProductPrice => &mut self.product_price,
            Field::ImportPath => &mut self.import_path,
            Field::StaffId => &mut self.staff_id,
            Field::StaffName => &mut self.staff_name,
            Field::StaffPin => &mut self.staff_pin,
            Field::DrawerReason => &mut self.drawer_reason,
            Field::ReturnTicket => &mut self.return_ticket,
            Field::DiscountReason => &mut self.discount_reason,
            Field::RefundReason => &mut self.refund_reason,
        }
    }

    pub fn text(&self, f: Field) -> &str {
        match f {
            Field::LoginId => &self.login_id,
            Field::LoginPin => &self.login_pin,
            Field::Article => &self.article,
            Field::JournalFrom => &self.journal_from,
            Field::JournalTo => &self.journal_to,
            Field::ProductCode => &self.product_code,
            Field::ProductBarcode => &self.product_barcode,
            Field::ProductName => &self.product_name,
            Field::ProductPrice => &self.product_price,
            Field::ImportPath => &self.import_path,
            Field::StaffId => &self.staff_id,
            Field::StaffName => &self.staff_name,
            Field::StaffPin => &self.staff_pin,
            Field::DrawerReason => &self.drawer_reason,
            Field::ReturnTicket => &self.return_ticket,
            Field::DiscountReason => &self.discount_reason,
            Field::RefundReason => &self.refund_reason,
        }
    }
}

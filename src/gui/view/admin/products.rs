//! The admin's products pane: the catalogue, the form to add, edit or deactivate a product, and
//! the CSV import.

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::Align;
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::input::Input;
use fltk::menu::Choice;
use fltk::prelude::*;

use super::super::{column, flex, row};
use super::{choice_row, form_row};
use crate::gui::model::VAT_CHOICES;
use crate::gui::widgets::{ListView, Registry, Scale, action, button, colors, input, label};
use crate::gui::{KbdTarget, ListId, Msg, Ui};

pub(super) struct ProductsPane {
    pub(super) products: Flex,
    pub(super) products_list: ListView,
    pub(super) product_code: Input,
    pub(super) product_barcode: Input,
    pub(super) product_name: Input,
    pub(super) product_price: Input,
    pub(super) product_vat: Choice,
    pub(super) product_toggle: Button,
    pub(super) import_path: Input,
    pub(super) products_message: Frame,
}

/// The products pane, in the admin stack at `pane`.
pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    pane: (i32, i32, i32, i32),
    m: i32,
) -> ProductsPane {
    let mut products = flex(pane.0, pane.1, pane.2, pane.3, false);
    products.set_pad(m);
    let products_list = ListView::new(
        reg,
        "products.list",
        &[
            ("Code", 1.5, Align::Left),
            ("Nom", 3.4, Align::Left),
            ("Prix", 1.9, Align::Right),
            ("TVA", 1.1, Align::Right),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Products)),
    );
    let _ = &products_list;
    let mut pform = column();
    pform.set_pad(sc.px(4));
    let (r, product_code) = form_row(
        reg,
        s,
        sc,
        ("products.code_label", "Code"),
        "products.code",
        Some(("products.code_kbd", KbdTarget::ProductCode)),
        false,
    );
    pform.fixed(&r, sc.px(48));
    let (r, product_barcode) = form_row(
        reg,
        s,
        sc,
        ("products.barcode_label", "Code-barres"),
        "products.barcode",
        Some(("products.barcode_kbd", KbdTarget::ProductBarcode)),
        false,
    );
    pform.fixed(&r, sc.px(48));
    let (r, product_name) = form_row(
        reg,
        s,
        sc,
        ("products.name_label", "Nom"),
        "products.name",
        Some(("products.name_kbd", KbdTarget::ProductName)),
        false,
    );
    pform.fixed(&r, sc.px(48));
    let (r, product_price) = form_row(
        reg,
        s,
        sc,
        ("products.price_label", "Prix (€)"),
        "products.price",
        Some(("products.price_kbd", KbdTarget::ProductPrice)),
        false,
    );
    pform.fixed(&r, sc.px(48));
    let choices = VAT_CHOICES.map(|v| format!("{v} %")).join("|");
    let (vrow, product_vat) = choice_row(
        reg,
        sc,
        ("products.vat_label", "TVA"),
        "products.vat",
        &choices,
    );
    pform.fixed(&vrow, sc.px(48));
    let mut prow = row();
    prow.set_pad(sc.px(4));
    action(
        reg,
        "products.save",
        "Enregistrer",
        sc.font(16),
        colors::MAIN,
        s,
        Msg::Ui(Ui::ProductSave),
    );
    let product_toggle = button(
        reg,
        "products.toggle",
        "Désactiver",
        sc.font(16),
        s,
        Msg::Ui(Ui::ProductToggle),
    );
    prow.end();
    pform.fixed(&prow, sc.px(52));
    let mut irow = row();
    irow.set_pad(sc.px(4));
    let import_path = input(reg, "products.import_path", sc.font(14), false);
    let b = button(
        reg,
        "products.import_kbd",
        "⌨",
        sc.font(20),
        s,
        Msg::Ui(Ui::Keyboard(KbdTarget::ImportPath)),
    );
    irow.fixed(&b, sc.px(48));
    let imp = button(
        reg,
        "products.import",
        "Importer CSV",
        sc.font(14),
        s,
        Msg::Ui(Ui::ProductImport),
    );
    irow.fixed(&imp, sc.px(104));
    irow.end();
    pform.fixed(&irow, sc.px(48));
    let mut products_message = label(reg, "products.message", "", sc.font(13), Align::Left);
    products_message.set_align(Align::Left | Align::Inside | Align::Wrap | Align::Top);
    pform.end();
    products.fixed(&pform, sc.px(300));
    products.end();
    ProductsPane {
        products,
        products_list,
        product_code,
        product_barcode,
        product_name,
        product_price,
        product_vat,
        product_toggle,
        import_path,
        products_message,
    }
}

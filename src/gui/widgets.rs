//! Small building blocks of the screens: touch-sized buttons and labels, a list with tall rows
//! (the basket and every admin list), the QR drawing, and the registry of named widgets the
//! test probe reads.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use fltk::app::Sender;
use fltk::button::Button;
use fltk::draw;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::input::Input;
use fltk::prelude::*;
use fltk::table::{TableContext, TableRow, TableRowSelectMode};
use fltk::widget::Widget;

use super::Msg;

/// The palette: the original's blue main basket and green sub-account, red withdrawals.
pub mod colors {
    use fltk::enums::Color;
    pub const MAIN: Color = Color::from_rgb(0x1f, 0x5f, 0xbf);
    pub const SUB: Color = Color::from_rgb(0x1e, 0x8e, 0x3e);
    pub const WITHDRAWAL: Color = Color::from_rgb(0xc6, 0x28, 0x28);
    /// Credit notes in the reports (the day report's PDF prints them blue too).
    pub const REFUND: Color = Color::from_rgb(0x00, 0x5f, 0x87);
    pub const PENDING: Color = Color::from_rgb(0xe8, 0x8a, 0x1a);
    pub const ACCEPTED: Color = Color::from_rgb(0x1e, 0x8e, 0x3e);
    pub const DANGER: Color = Color::from_rgb(0xb7, 0x1c, 0x1c);
    pub const BAR: Color = Color::from_rgb(0x26, 0x32, 0x38);
    pub const BAR_TEXT: Color = Color::from_rgb(0xec, 0xef, 0xf1);
    pub const BG: Color = Color::from_rgb(0xf2, 0xf4, 0xf6);
    pub const KEY: Color = Color::from_rgb(0xff, 0xff, 0xff);
    pub const ROW_ALT: Color = Color::from_rgb(0xf6, 0xf8, 0xfa);
    pub const SELECTED: Color = Color::from_rgb(0xcf, 0xe2, 0xff);
    pub const HEADER: Color = Color::from_rgb(0xe1, 0xe5, 0xea);
    /// Discounts: the « Remise » button, the note under a discounted line, the total's line.
    pub const DISCOUNT: Color = Color::from_rgb(0x7b, 0x1f, 0xa2);
}

/// Sizes scale with the window: 1.0 is the official 800×480 Pi touch screen.
#[derive(Clone, Copy, Debug)]
pub struct Scale(pub f32);

impl Scale {
    pub fn for_window(w: i32, h: i32) -> Scale {
        let s = (w as f32 / 800.0).min(h as f32 / 480.0);
        Scale(s.clamp(1.0, 3.0))
    }
    /// A length in pixels at this scale.
    pub fn px(self, n: i32) -> i32 {
        (n as f32 * self.0).round() as i32
    }
    /// A font size at this scale.
    pub fn font(self, n: i32) -> i32 {
        (n as f32 * self.0).round() as i32
    }
}

/// Every widget the probe reports, by its stable id.
#[derive(Default)]
pub struct Registry {
    pub widgets: Vec<(&'static str, Widget)>,
    pub inputs: Vec<(&'static str, Input, bool)>,
}

impl Registry {
    pub fn add<W: WidgetExt>(&mut self, id: &'static str, w: &W) {
        if id.is_empty() {
            return;
        }
        if let Some(w) = Widget::from_dyn_widget(w) {
            self.widgets.push((id, w));
        }
    }
    pub fn input(&mut self, id: &'static str, i: &Input, secret: bool) {
        self.add(id, i);
        self.inputs.push((id, i.clone(), secret));
    }
}

/// A touch button: no keyboard focus (the focus stays in the text field), large label.
pub fn button(
    reg: &mut Registry,
    id: &'static str,
    label: &str,
    size: i32,
    s: &Sender<Msg>,
    msg: Msg,
) -> Button {
    let mut b = Button::default().with_label(label);
    b.set_label_size(size);
    b.clear_visible_focus();
    b.set_color(colors::KEY);
    b.set_frame(FrameType::GtkUpBox);
    b.emit(*s, msg);
    reg.add(id, &b);
    b
}

/// A coloured action button (white bold label).
pub fn action(
    reg: &mut Registry,
    id: &'static str,
    label: &str,
    size: i32,
    color: Color,
    s: &Sender<Msg>,
    msg: Msg,
) -> Button {
    let mut b = button(reg, id, label, size, s, msg);
    b.set_color(color);
    b.set_label_color(Color::White);
    b.set_label_font(Font::HelveticaBold);
    b
}

/// A text label.
pub fn label(reg: &mut Registry, id: &'static str, text: &str, size: i32, align: Align) -> Frame {
    let mut f = Frame::default().with_label(text);
    f.set_label_size(size);
    f.set_align(align | Align::Inside | Align::Clip);
    reg.add(id, &f);
    f
}

/// A text field.
pub fn input(reg: &mut Registry, id: &'static str, size: i32, secret: bool) -> Input {
    let mut i = Input::default();
    if secret {
        i.set_type(fltk::input::InputType::Secret);
    }
    i.set_text_size(size);
    reg.input(id, &i, secret);
    i
}

/// One row of a list: its cells and an optional text colour (withdrawals in red).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    pub color: Option<Color>,
}

impl Row {
    pub fn new(cells: Vec<String>) -> Row {
        Row { cells, color: None }
    }
    /// The text colour of a disabled product or employee (grey), none when active.
    pub fn greyed_unless(active: bool) -> Option<Color> {
        (!active).then_some(Color::from_rgb(0x88, 0x88, 0x88))
    }
    pub fn colored(cells: Vec<String>, color: Color) -> Row {
        Row {
            cells,
            color: Some(color),
        }
    }
}

#[derive(Default)]
struct ListData {
    headers: Vec<String>,
    aligns: Vec<Align>,
    /// Relative widths of the columns.
    weights: Vec<f32>,
    rows: Vec<Row>,
    font: i32,
    /// A cell's text after a newline is a note, drawn small under it (a line's discount).
    notes: bool,
    /// When set, the next complete draw records the time since this instant (scan → repaint).
    paint_mark: Option<Instant>,
    painted: Vec<u64>,
}

/// A list with tall rows (≥ 44 px at 800×480) and a header: the basket and the admin lists.
#[derive(Clone)]
pub struct ListView {
    pub table: TableRow,
    data: Rc<RefCell<ListData>>,
    row_height: i32,
}

/// Shares the table's width out between the columns by weight.
fn fit(table: &mut TableRow, weights: &[f32], width: i32) {
    let weight_sum: f32 = weights.iter().sum::<f32>().max(0.0001);
    let avail = (width - table.scrollbar_size() - 4).max(10);
    let mut used = 0;
    for (i, wt) in weights.iter().enumerate() {
        let w = if i + 1 == weights.len() {
            avail - used
        } else {
            (avail as f32 * wt / weight_sum) as i32
        };
        used += w;
        table.set_col_width(i as i32, w.max(1));
    }
}

impl ListView {
    pub fn new(
        reg: &mut Registry,
        id: &'static str,
        columns: &[(&'static str, f32, Align)],
        scale: Scale,
        s: &Sender<Msg>,
        msg: Msg,
    ) -> ListView {
        let mut table = TableRow::default();
        let data = Rc::new(RefCell::new(ListData {
            headers: columns.iter().map(|c| c.0.to_owned()).collect(),
            weights: columns.iter().map(|c| c.1).collect(),
            aligns: columns.iter().map(|c| c.2).collect(),
            font: scale.font(18),
            ..ListData::default()
        }));
        table.set_type(TableRowSelectMode::Single);
        table.set_rows(0);
        table.set_cols(columns.len() as i32);
        table.set_col_header(true);
        table.set_row_header(false);
        table.set_row_height_all(scale.px(44));
        table.set_col_header_height(scale.px(30));
        table.set_scrollbar_size(scale.px(28));
        table.clear_visible_focus();
        table.set_color(Color::White);
        table.end();
        let d = data.clone();
        table.draw_cell(move |t, ctx, row, col, x, y, w, h| {
            let Ok(mut d) = d.try_borrow_mut() else {
                return;
            };
            let c = col.max(0) as usize;
            match ctx {
                TableContext::StartPage => draw::set_font(Font::Helvetica, d.font),
                TableContext::ColHeader => {
                    draw::push_clip(x, y, w, h);
                    draw::draw_box(FrameType::FlatBox, x, y, w, h, colors::HEADER);
                    draw::set_draw_color(Color::Black);
                    draw::set_font(Font::HelveticaBold, d.font - 2);
                    if let Some(text) = d.headers.get(c) {
                        let align = d.aligns.get(c).copied().unwrap_or(Align::Left);
                        draw::draw_text2(text, x + 6, y, w - 12, h, align);
                    }
                    draw::pop_clip();
                }
                TableContext::Cell => {
                    draw::push_clip(x, y, w, h);
                    let bg = if t.row_selected(row) {
                        colors::SELECTED
                    } else if row % 2 == 1 {
                        colors::ROW_ALT
                    } else {
                        Color::White
                    };
                    draw::draw_rect_fill(x, y, w, h, bg);
                    let r = d.rows.get(row.max(0) as usize);
                    let color = r.and_then(|r| r.color).unwrap_or(Color::Black);
                    draw::set_font(Font::Helvetica, d.font);
                    draw::set_draw_color(color);
                    if let Some(text) = r.and_then(|r| r.cells.get(c)) {
                        let align = d.aligns.get(c).copied().unwrap_or(Align::Left);
                        match text.split_once('\n').filter(|_| d.notes) {
                            Some((main, note)) => {
                                let top = h * 11 / 20;
                                draw::draw_text2(main, x + 6, y + 1, w - 12, top, align);
                                draw::set_font(Font::HelveticaItalic, d.font * 3 / 4);
                                if r.and_then(|r| r.color).is_none() {
                                    draw::set_draw_color(colors::DISCOUNT);
                                }
                                draw::draw_text2(note, x + 6, y + top, w - 12, h - top - 3, align);
                            }
                            None => draw::draw_text2(text, x + 6, y, w - 12, h, align),
                        }
                    }
                    draw::set_draw_color(colors::HEADER);
                    draw::draw_line(x, y + h - 1, x + w, y + h - 1);
                    draw::pop_clip();
                }
                TableContext::EndPage => {
                    if let Some(mark) = d.paint_mark.take() {
                        let us = u64::try_from(mark.elapsed().as_micros()).unwrap_or(u64::MAX);
                        if d.painted.len() >= 1000 {
                            d.painted.remove(0);
                        }
                        d.painted.push(us);
                    }
                }
                _ => {}
            }
        });
        let d = data.clone();
        table.resize_callback(move |t, _, _, w, _| {
            if let Ok(d) = d.try_borrow() {
                fit(t, &d.weights, w);
            }
        });
        let s2 = *s;
        table.set_callback(move |t| {
            if t.callback_context() == TableContext::Cell {
                s2.send(msg.clone());
            }
        });
        reg.add(id, &table);
        ListView {
            table,
            data,
            row_height: scale.px(44),
        }
    }

    /// The list draws what follows a newline in a cell as a small note under it.
    pub fn with_notes(self) -> ListView {
        if let Ok(mut d) = self.data.try_borrow_mut() {
            d.notes = true;
        }
        self
    }

    /// New column titles (the screen's language changed).
    pub fn set_headers(&mut self, headers: Vec<String>) {
        let changed = match self.data.try_borrow_mut() {
            Ok(mut d) if d.headers != headers => {
                d.headers = headers;
                true
            }
            _ => false,
        };
        if changed {
            self.table.redraw();
        }
    }

    /// Replaces the rows; `select` picks a row (0-based) to highlight and show.
    pub fn set_rows(&mut self, rows: Vec<Row>, select: Option<usize>) {
        let n = rows.len() as i32;
        if let Ok(mut d) = self.data.try_borrow_mut() {
            d.rows = rows;
        }
        self.fit_columns();
        self.table.set_rows(n);
        // Rows added after `set_row_height_all` get the default height: set it again.
        self.table.set_row_height_all(self.row_height);
        self.table
            .select_all_rows(fltk::table::TableRowSelectFlag::Deselect);
        if let Some(i) = select.filter(|i| (*i as i32) < n) {
            let _ = self
                .table
                .select_row(i as i32, fltk::table::TableRowSelectFlag::Select);
            self.show_row(i as i32);
        }
        self.table.redraw();
    }

    fn show_row(&mut self, row: i32) {
        let visible = ((self.table.h() - self.table.col_header_height())
            / self.table.row_height(0).max(1))
        .max(1);
        let top = self.table.row_position();
        if row < top || row >= top + visible {
            self.table.set_row_position((row - visible + 1).max(0));
        }
    }

    pub fn fit_columns(&mut self) {
        let w = self.table.w();
        if let Ok(d) = self.data.try_borrow() {
            fit(&mut self.table, &d.weights, w);
        }
    }

    /// The selected row (0-based).
    pub fn selected(&mut self) -> Option<usize> {
        let n = self.table.rows();
        (0..n)
            .find(|r| self.table.row_selected(*r))
            .map(|r| r as usize)
    }

    pub fn rows(&self) -> Vec<Row> {
        self.data
            .try_borrow()
            .map(|d| d.rows.clone())
            .unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.data.try_borrow().map(|d| d.rows.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Starts a scan → repaint measurement ending at the next complete draw of this list.
    pub fn mark_paint(&self, since: Instant) {
        if let Ok(mut d) = self.data.try_borrow_mut() {
            d.paint_mark = Some(since);
        }
    }

    pub fn paint_times(&self) -> Vec<u64> {
        self.data
            .try_borrow()
            .map(|d| d.painted.clone())
            .unwrap_or_default()
    }
}

/// The QR modules (side, dark flags) shared with the drawing callback.
type Modules = Rc<RefCell<Option<(usize, Vec<bool>)>>>;

/// The QR code of the payment URL, drawn module by module with a quiet zone.
#[derive(Clone)]
pub struct QrView {
    pub frame: Frame,
    modules: Modules,
}

impl QrView {
    pub fn new(reg: &mut Registry, id: &'static str) -> QrView {
        let mut frame = Frame::default();
        frame.set_frame(FrameType::FlatBox);
        frame.set_color(Color::White);
        let modules: Modules = Rc::new(RefCell::new(None));
        let m = modules.clone();
        frame.draw(move |f| {
            let Ok(m) = m.try_borrow() else { return };
            let Some((n, dark)) = m.as_ref() else { return };
            let n = *n as i32;
            let side = f.w().min(f.h());
            // 4 modules of quiet zone on each side.
            let cell = (side / (n + 8)).max(1);
            let size = cell * n;
            let x0 = f.x() + (f.w() - size) / 2;
            let y0 = f.y() + (f.h() - size) / 2;
            draw::draw_rect_fill(f.x(), f.y(), f.w(), f.h(), Color::White);
            for (i, d) in dark.iter().enumerate() {
                if *d {
                    let i = i as i32;
                    draw::draw_rect_fill(
                        x0 + (i % n) * cell,
                        y0 + (i / n) * cell,
                        cell,
                        cell,
                        Color::Black,
                    );
                }
            }
        });
        reg.add(id, &frame);
        QrView { frame, modules }
    }

    pub fn set(&mut self, modules: Option<(usize, Vec<bool>)>) {
        if let Ok(mut m) = self.modules.try_borrow_mut() {
            *m = modules;
        }
        self.frame.redraw();
    }
}

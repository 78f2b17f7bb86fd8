//! The FLTK shell around the pure model: the window, the event loop, and for every message
//! the same four steps — copy what the widgets hold into the model, [`update`] it, draw it,
//! carry out its [`Effect`]s. Runs on the FLTK (main) thread only; it never waits for the
//! runtime.

use std::time::Instant;

use fltk::app as fl;
use fltk::enums::Event;
use fltk::prelude::*;
use tokio::sync::mpsc::UnboundedSender;

use super::model::{Effect, Model, update};
use super::probe::Probe;
use super::render::{self, Drawn};
use super::view::View;
use super::{Msg, Request, Ui, WindowMode};
use crate::actors::CommandError;
use crate::actors::admin::AdminRequest;
use crate::clock::SharedClock;
use crate::i18n::Lang;

pub struct Gui {
    app: fl::App,
    pub view: View,
    sender: fl::Sender<Msg>,
    receiver: fl::Receiver<Msg>,
    requests: UnboundedSender<Request>,
    clock: SharedClock,
    pub model: Model,
    drawn: Drawn,
    scan_mark: Option<Instant>,
    probe: Option<Probe>,
    pub started: Instant,
    pub first_draw_ms: std::rc::Rc<std::cell::Cell<Option<f64>>>,
}

impl Gui {
    pub fn new(
        mode: WindowMode,
        shop_name: &str,
        lang: Lang,
        tz: chrono_tz::Tz,
        clock: SharedClock,
        started: Instant,
        requests: UnboundedSender<Request>,
    ) -> anyhow::Result<Gui> {
        let app = fl::App::default().with_scheme(fl::Scheme::Gtk);
        fl::set_font_size(16);
        let (sender, receiver) = fl::channel::<Msg>();
        let (w, h, full) = match mode.size {
            Some((w, h)) => (w, h, false),
            None => {
                let (sw, sh) = fl::screen_size();
                (sw as i32, sh as i32, true)
            }
        };
        let mut view = View::build(w, h, shop_name, &sender);
        if full {
            view.window.set_border(false);
        }
        let s = sender;
        view.window.set_callback(move |_| {
            // Escape must not close the till; the window manager's close asks first.
            if fl::event() == Event::Close {
                s.send(Msg::Ui(Ui::Close));
            }
        });
        // A scan from a keyboard-mode scanner lands in the article field even when it has no
        // focus (e.g. after a touch on a button); on the return screen, in the ticket field (a
        // ticket's QR code holds its sale id: hex digits and dashes).
        let s = sender;
        let mut article = view.till.article.clone();
        let till_group = view.till.group.clone();
        let mut ticket = view.ret.ticket.clone();
        let return_group = view.ret.group.clone();
        view.window.handle(move |_, ev| {
            if ev != Event::KeyDown {
                return false;
            }
            let (field, enter, extra): (&mut fltk::input::Input, Msg, &[char]) =
                if till_group.visible() && till_group.active_r() {
                    (&mut article, Msg::Ui(Ui::Article), &[])
                } else if return_group.visible() && return_group.active_r() {
                    (&mut ticket, Msg::Ui(Ui::ReturnFind), &['-', '/'])
                } else {
                    return false;
                };
            if field.has_focus() {
                return false;
            }
            let text = fl::event_text();
            if fl::event_key() == fltk::enums::Key::Enter {
                s.send(enter);
                return true;
            }
            if !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
            {
                let v = field.value() + &text;
                field.set_value(&v);
                let _ = field.take_focus();
                return true;
            }
            false
        });
        let first_draw_ms = std::rc::Rc::new(std::cell::Cell::new(None));
        let fd = first_draw_ms.clone();
        let s = sender;
        view.login.group.draw(move |_| {
            if fd.get().is_none() {
                fd.set(Some(started.elapsed().as_secs_f64() * 1000.0));
                // Let the probe record it.
                s.send(Msg::Tick);
            }
        });
        let now = clock.now().with_timezone(&tz);
        let model = Model::new(shop_name, lang, tz, now);
        let mut gui = Gui {
            app,
            view,
            sender,
            receiver,
            requests,
            clock,
            model,
            drawn: Drawn::default(),
            scan_mark: None,
            probe: Probe::from_env(),
            started,
            first_draw_ms,
        };
        render::render(&gui.model, &mut gui.view, &mut gui.drawn);
        gui.view.window.show();
        if full {
            gui.view.window.fullscreen(true);
        }
        let _ = gui.view.login.id.take_focus();
        gui.update(Msg::Tick);
        Ok(gui)
    }

    pub fn sender(&self) -> fl::Sender<Msg> {
        self.sender
    }

    /// The event loop: until the window is closed.
    pub fn run(mut self) -> anyhow::Result<()> {
        let s = self.sender;
        fl::add_timeout3(1.0, move |h| {
            s.send(Msg::Tick);
            fl::repeat_timeout3(1.0, h);
        });
        while self.app.wait() {
            let mut any = false;
            while let Some(msg) = self.receiver.recv() {
                self.update(msg);
                any = true;
            }
            if any {
                // A widget under an open overlay may have repainted over it.
                render::redraw_overlay(&self.model, &mut self.view);
                if let Some(p) = &self.probe {
                    p.write(
                        &self.view,
                        &self.model,
                        self.first_draw_ms.get(),
                        &self.paint_times(),
                    );
                }
            }
        }
        Ok(())
    }

    pub fn paint_times(&self) -> Vec<u64> {
        self.view.till.table.paint_times()
    }

    /// One message: the widgets' contents into the model, the model updated and drawn, its
    /// effects carried out.
    pub fn update(&mut self, msg: Msg) {
        render::read_fields(&mut self.model, &mut self.view);
        self.model.now = self.clock.now().with_timezone(&self.model.tz);
        let effects = update(&mut self.model, msg);
        render::render(&self.model, &mut self.view, &mut self.drawn);
        for e in effects {
            self.apply(e);
        }
    }

    fn apply(&mut self, e: Effect) {
        match e {
            Effect::Send(c) => self.request(Request::Command(c)),
            Effect::Admin(r) => self.request(Request::Admin(r)),
            Effect::ImportFile(path) => {
                // Read off the screen's thread: a USB stick may be slow.
                let requests = self.requests.clone();
                let s = self.sender;
                std::thread::spawn(move || match std::fs::read(&path) {
                    Ok(bytes) => {
                        let _ = requests.send(Request::Admin(AdminRequest::ImportCatalog(bytes)));
                    }
                    Err(e) => s.send(Msg::Admin(Box::new(Err(CommandError {
                        code: "unreadable_file",
                        message: format!("{path} : {e}"),
                    })))),
                });
            }
            Effect::Focus(f) => {
                if let Some(i) = render::input_of(&mut self.view, f) {
                    let _ = i.take_focus();
                }
            }
            Effect::Beep => fltk::dialog::beep(fltk::dialog::BeepType::Error),
            Effect::ScanSent => self.scan_mark = Some(Instant::now()),
            Effect::ScanShown => {
                if let Some(mark) = self.scan_mark.take() {
                    self.view.till.table.mark_paint(mark);
                }
            }
            Effect::ScanDropped => self.scan_mark = None,
            Effect::Quit => fl::quit(),
        }
    }

    fn request(&self, r: Request) {
        if self.requests.send(r).is_err() {
            tracing::error!("the runtime has stopped");
        }
    }
}

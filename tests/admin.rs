//! The admin's requests through the in-process runtime (`Till::admin`), as the GUI's admin
//! screens send them: reports (local, and central with a real MariaDB, and the fallback when
//! the central database is down), exports read back with `pdftotext`/`pdfinfo` (apt package
//! poppler-utils), products, staff and PINs. A cashier is refused and nothing changes.

mod common;

use std::path::Path;
use std::process::Command as Process;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use tokio::sync::mpsc::UnboundedReceiver;

use common::mysql::TestDb;
use kaching::actors::admin::{AdminReply, AdminRequest, ExportFormat, ReportSource};
use kaching::actors::events::RefusalReason;
use kaching::actors::{Command, CommandError, Till, TillEvent};
use kaching::clock::{FakeClock, SharedClock};
use kaching::config::RawSettings;
use kaching::domain::report::{DayReport, ReportLine};
use kaching::domain::{
    Account, ArticleCode, Gtin, LineKind, Money, PaymentMethod, Product, Role, Staff, StaffId,
    VatRate,
};
use kaching::i18n::Lang;
use kaching::secrets::{PinHasher, Secret};
use kaching::store::Ledger;
use kaching::sync::Central;

fn brussels(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Brussels
        .with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("an unambiguous Brussels time")
        .with_timezone(&Utc)
}

fn may(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, d).expect("a date")
}

fn hasher() -> PinHasher {
    PinHasher::new(Secret::new("t"))
}

/// A seeded data dir and a running till on a fake clock (15:00 in Brussels on 31/05/2026).
struct Shop {
    dir: tempfile::TempDir,
    clock: Arc<FakeClock>,
    till: Till,
    events: UnboundedReceiver<TillEvent>,
}

impl Shop {
    fn open(raw: RawSettings) -> Shop {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = FakeClock::new(brussels(2026, 5, 31, 15, 0, 0));
        let mut ledger = Ledger::open_in(dir.path()).expect("open ledger");
        kaching::cli::seed_demo(&mut ledger, &hasher(), clock.as_ref()).expect("seed demo");
        drop(ledger);
        let settings = raw.validate().expect("settings");
        let shared: SharedClock = clock.clone();
        let till =
            Till::start(settings.runtime(), dir.path(), shared, hasher()).expect("start till");
        let events = till.subscribe();
        Shop {
            dir,
            clock,
            till,
            events,
        }
    }

    fn local() -> Shop {
        Shop::open(RawSettings::default())
    }

    fn ledger(&self) -> Ledger {
        Ledger::open_in(self.dir.path()).expect("open ledger")
    }

    fn drain(&mut self) -> Vec<TillEvent> {
        let mut out = Vec::new();
        while let Ok(e) = self.events.try_recv() {
            out.push(e);
        }
        out
    }

    async fn run(&mut self, c: Command) -> Vec<TillEvent> {
        self.till.execute(c).await;
        self.drain()
    }

    async fn login(&mut self, id: &str, pin: &str) -> Vec<TillEvent> {
        self.run(Command::Login {
            id: id.into(),
            pin: pin.into(),
        })
        .await
    }

    async fn login_ok(&mut self, id: &str, pin: &str) {
        let ev = self.login(id, pin).await;
        assert!(
            ev.iter().any(|e| matches!(e, TillEvent::LoggedIn { .. })),
            "login {id}: {ev:?}"
        );
    }

    async fn logout(&mut self) {
        self.run(Command::Logout).await;
    }

    /// A cash sale of `codes` (and a withdrawal) by the logged-in person at `at`.
    async fn sell(&mut self, at: DateTime<Utc>, codes: &[&str], withdrawal: Option<i64>) {
        self.clock.set(at);
        for c in codes {
            self.run(Command::Scan((*c).into())).await;
        }
        if let Some(w) = withdrawal {
            self.run(Command::Withdraw(Money::from_cents(w))).await;
        }
        let ev = self
            .run(Command::Pay {
                account: Account::Main,
                method: PaymentMethod::Cash,
                tendered: None,
            })
            .await;
        assert!(
            ev.iter()
                .any(|e| matches!(e, TillEvent::SaleCommitted { .. })),
            "{ev:?}"
        );
    }

    /// ORIGIN.md's 31/05 by Khadija (with the withdrawal) and one sale on 30/05, then the
    /// admin logs in.
    async fn with_sales_then_admin(&mut self) {
        self.login_ok("14", "1414").await;
        self.sell(brussels(2026, 5, 30, 10, 0, 0), &["9012"], None)
            .await;
        self.sell(
            brussels(2026, 5, 31, 15, 23, 54),
            &["1234", "0000"],
            Some(1500),
        )
        .await;
        self.sell(
            brussels(2026, 5, 31, 15, 24, 59),
            &["9012", "6051", "4821"],
            None,
        )
        .await;
        self.logout().await;
        self.login_ok("1", "1111").await;
    }

    async fn ok(&self, r: AdminRequest) -> AdminReply {
        let what = format!("{r:?}");
        match self.till.admin(r).await {
            Ok(reply) => reply,
            Err(e) => panic!("{what}: {} {}", e.code, e.message),
        }
    }

    async fn refused(&self, r: AdminRequest, code: &str) -> CommandError {
        let what = format!("{r:?}");
        match self.till.admin(r).await {
            Ok(reply) => panic!("{what} should be refused with {code}, got {reply:?}"),
            Err(e) => {
                assert_eq!(e.code, code, "{what}: {}", e.message);
                e
            }
        }
    }

    async fn products(&self) -> Vec<Product> {
        match self.ok(AdminRequest::Products).await {
            AdminReply::Products(p) => p,
            other => panic!("{other:?}"),
        }
    }

    async fn staff(&self) -> Vec<Staff> {
        match self.ok(AdminRequest::Staff).await {
            AdminReply::Staff(s) => s,
            other => panic!("{other:?}"),
        }
    }

    async fn days(&self) -> (ReportSource, Vec<NaiveDate>) {
        match self.ok(AdminRequest::Days).await {
            AdminReply::Days { source, days } => (source, days.iter().map(|d| d.day).collect()),
            other => panic!("{other:?}"),
        }
    }

    async fn day_report(&self, day: NaiveDate) -> (ReportSource, DayReport) {
        match self.ok(AdminRequest::DayReport(day)).await {
            AdminReply::DayReport { source, report } => (source, report),
            other => panic!("{other:?}"),
        }
    }

    async fn export(&self, day: NaiveDate, format: ExportFormat) -> std::path::PathBuf {
        match self.ok(AdminRequest::Export { day, format }).await {
            AdminReply::Exported { path } => path,
            other => panic!("{other:?}"),
        }
    }
}

fn product(code: &str, barcode: Option<&str>, name: &str, cents: i64) -> Product {
    Product {
        code: ArticleCode::parse(code).unwrap(),
        barcode: barcode.map(|b| Gtin::parse(b).unwrap()),
        name: name.into(),
        price: Money::from_cents(cents),
        vat: VatRate::Six,
        active: true,
    }
}

fn staff(id: &str, name: &str, role: Role) -> Staff {
    Staff {
        id: StaffId::parse(id).unwrap(),
        name: name.into(),
        role,
        active: true,
        lang: kaching::i18n::Lang::Fr,
    }
}

/// `pdftotext -layout FILE -`.
fn pdf_text(path: &Path) -> String {
    let o = Process::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("UTF-8 text")
}

/// The page count `pdfinfo` reads.
fn pdf_pages(path: &Path) -> usize {
    let o = Process::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo (apt-get install poppler-utils)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {text}"))
}

#[actix::test]
async fn a_cashier_or_nobody_is_refused_and_nothing_changes() {
    let mut shop = Shop::local();
    let all = || {
        vec![
            AdminRequest::Days,
            AdminRequest::DayReport(may(31)),
            AdminRequest::HideDay(may(31)),
            AdminRequest::Journal {
                from: may(1),
                to: may(31),
            },
            AdminRequest::Export {
                day: may(31),
                format: ExportFormat::Pdf,
            },
            AdminRequest::Products,
            AdminRequest::SaveProduct(product("7777", None, "Baguette", 130)),
            AdminRequest::SetProductActive {
                code: "1234".into(),
                active: false,
            },
            AdminRequest::ImportCatalog(
                b"code,barcode,name,price,vat_rate\n7778,,Pain,1.00,6\n".to_vec(),
            ),
            AdminRequest::Staff,
            AdminRequest::AddStaff {
                staff: staff("30", "NOUR", Role::Admin),
                pin: "3030".into(),
            },
            AdminRequest::SetStaffActive {
                id: "2".into(),
                active: false,
            },
            AdminRequest::ResetPin {
                id: "1".into(),
                pin: "9999".into(),
            },
        ]
    };
    for r in all() {
        shop.refused(r, "not_logged_in").await;
    }
    shop.login_ok("14", "1414").await;
    shop.sell(brussels(2026, 5, 31, 15, 0, 0), &["1234"], None)
        .await;
    let ledger = shop.ledger();
    let before = (
        ledger.products().unwrap(),
        ledger.staff_list().unwrap(),
        ledger.days().unwrap(),
        ledger.hidden_days().unwrap(),
        ledger.staff_record(&StaffId::parse("1").unwrap()).unwrap(),
    );
    for r in all() {
        let e = shop.refused(r, "not_admin").await;
        assert!(e.message.contains("admin"), "{}", e.message);
    }
    let after = (
        ledger.products().unwrap(),
        ledger.staff_list().unwrap(),
        ledger.days().unwrap(),
        ledger.hidden_days().unwrap(),
        ledger.staff_record(&StaffId::parse("1").unwrap()).unwrap(),
    );
    assert_eq!(before, after);
    assert!(!shop.dir.path().join("exports").exists());
    // Seeding wrote catalogue and staff rows with no author; nobody wrote any since.
    let changes: Vec<_> = ledger
        .audit_log(1000)
        .unwrap()
        .into_iter()
        .filter(|a| {
            a.staff_id.is_some()
                && matches!(
                    a.action.as_str(),
                    "catalog_edit"
                        | "catalog_import"
                        | "staff_added"
                        | "staff_disabled"
                        | "pin_reset"
                        | "report_hidden"
                        | "report_exported"
                )
        })
        .collect();
    assert!(changes.is_empty(), "{changes:#?}");
}

#[actix::test]
async fn days_day_report_and_journal_are_read_locally_and_a_hidden_day_leaves_the_list() {
    let mut shop = Shop::local();
    shop.with_sales_then_admin().await;

    assert_eq!(
        shop.days().await,
        (ReportSource::Local, vec![may(31), may(30)])
    );
    let (source, r) = shop.day_report(may(31)).await;
    assert_eq!(source, ReportSource::Local);
    let lines: Vec<(&str, &str, &str, LineKind, i64)> = r
        .lines
        .iter()
        .map(|l| {
            (
                l.time.as_str(),
                l.seller.as_str(),
                l.product.as_str(),
                l.kind,
                l.total_cents.cents(),
            )
        })
        .collect();
    assert_eq!(lines.len(), 6, "{lines:#?}");
    assert_eq!(
        lines[0],
        (
            "15:23:54",
            "Khadija",
            "Pain au chocolat",
            LineKind::Item,
            120
        )
    );
    assert!(lines.contains(&("15:23:54", "Khadija", "Café", LineKind::Item, 250)));
    assert!(
        lines
            .iter()
            .any(|l| l.3 == LineKind::Withdrawal && l.4 == 1500)
    );
    assert_eq!(r.revenue_cents, Money::from_cents(1270));
    assert_eq!(r.withdrawal_cents, Money::from_cents(1500));

    match shop
        .ok(AdminRequest::Journal {
            from: may(29),
            to: may(31),
        })
        .await
    {
        AdminReply::Journal { source, journal } => {
            assert_eq!(source, ReportSource::Local);
            assert_eq!(journal.days.len(), 3, "zero days included");
            assert_eq!(journal.days[0].revenue_cents, Money::ZERO);
            assert_eq!(journal.revenue_cents, Money::from_cents(1370));
        }
        other => panic!("{other:?}"),
    }
    shop.refused(
        AdminRequest::Journal {
            from: may(31),
            to: may(1),
        },
        "bad_period",
    )
    .await;

    match shop.ok(AdminRequest::HideDay(may(31))).await {
        AdminReply::Done { message } => assert!(message.contains("31/05/2026"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(shop.days().await, (ReportSource::Local, vec![may(30)]));
    // Hidden from the list only: the report and the journal still hold it.
    assert_eq!(shop.day_report(may(31)).await.1.lines.len(), 6);
    let audit = shop.ledger().audit_log(5).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "report_hidden" && a.staff_id.as_deref() == Some("1")),
        "{audit:#?}"
    );
}

#[actix::test]
async fn exports_write_txt_csv_and_a_pdf_that_reads_back_with_euros_and_accents() {
    let mut shop = Shop::local();
    shop.with_sales_then_admin().await;

    let txt = shop.export(may(31), ExportFormat::Txt).await;
    assert_eq!(txt, shop.dir.path().join("exports/rapport-2026-05-31.txt"));
    let text = std::fs::read_to_string(&txt).unwrap();
    assert!(text.contains("SOLDE CAISSE : 12,70 €"), "{text}");
    assert!(text.contains("Déodorant CienMEN"), "{text}");

    let csv = shop.export(may(31), ExportFormat::Csv).await;
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().any(|r| &r[5] == "Café" && &r[8] == "2.50"));
    assert!(
        rows.iter()
            .any(|r| &r[7] == "withdrawal" && &r[8] == "15.00")
    );

    let pdf = shop.export(may(31), ExportFormat::Pdf).await;
    assert_eq!(pdf.file_name().unwrap(), "rapport-2026-05-31.pdf");
    let text = pdf_text(&pdf);
    assert!(text.contains("RAPPORT DU 31/05/2026"), "{text}");
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle} in\n{text}"))
            .to_owned()
    };
    let l = line("Pain au chocolat");
    assert!(
        l.contains("15:23:54") && l.contains("Khadija") && l.contains("x1") && l.contains("1,20 €"),
        "{l}"
    );
    assert!(line("Café").contains("2,50 €"));
    assert!(line("Déodorant CienMEN").contains("4,00 €"));
    assert!(line("[retrait]").contains("15,00 €"));
    assert!(line("SOLDE CAISSE").contains("12,70 €"));
    assert!(line("hors total").contains("15,00 €"));
    assert!(line(" 6 %").contains("€"));
    assert_eq!(pdf_pages(&pdf), 1);
    // No temporary file is left behind; an export of the same day replaces the file.
    shop.export(may(31), ExportFormat::Pdf).await;
    let names: Vec<String> = std::fs::read_dir(shop.dir.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        shop.ledger()
            .audit_log(10)
            .unwrap()
            .iter()
            .any(|a| a.action == "report_exported")
    );
}

#[actix::test]
async fn exports_go_to_the_configured_directory_and_a_bad_one_is_a_clear_error() {
    let target = tempfile::tempdir().unwrap();
    let mut raw = RawSettings::default();
    raw.admin.export_dir = target.path().join("usb/rapports").display().to_string();
    let mut shop = Shop::open(raw);
    shop.with_sales_then_admin().await;
    let path = shop.export(may(30), ExportFormat::Txt).await;
    assert_eq!(
        path,
        target.path().join("usb/rapports/rapport-2026-05-30.txt")
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("Croissant")
    );

    // A file where the directory should be.
    let blocked = tempfile::tempdir().unwrap();
    let file = blocked.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let mut raw = RawSettings::default();
    raw.admin.export_dir = file.display().to_string();
    let mut shop = Shop::open(raw);
    shop.login_ok("1", "1111").await;
    let e = shop
        .refused(
            AdminRequest::Export {
                day: may(30),
                format: ExportFormat::Csv,
            },
            "export_failed",
        )
        .await;
    assert!(e.message.contains("not-a-dir"), "{}", e.message);
}

#[test]
fn a_300_line_day_makes_a_pdf_of_several_pages_with_continuing_line_numbers() {
    let lines: Vec<ReportLine> = (1..=300)
        .map(|n| ReportLine {
            time: format!("{:02}:{:02}:00", 8 + n / 60, n % 60),
            till_id: "till-1".into(),
            ticket_no: n,
            seller: if n % 2 == 0 { "Khadija" } else { "AWA" }.into(),
            product: if n % 3 == 0 {
                "Café"
            } else {
                "Pain au chocolat"
            }
            .into(),
            qty: 1,
            kind: if n == 150 {
                LineKind::Withdrawal
            } else {
                LineKind::Item
            },
            total_cents: Money::from_cents(if n == 150 { 2000 } else { 120 }),
            vat_rate: (n != 150).then_some(VatRate::Six),
            discount_cents: Money::ZERO,
            refund: false,
        })
        .collect();
    let report = DayReport::build(may(31), lines);
    let bytes = ExportFormat::Pdf
        .render(&report, "Épicerie à Ixelles ✓")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, bytes).unwrap();
    let pages = pdf_pages(&path);
    assert!(pages >= 5, "{pages} pages");
    let text = pdf_text(&path);
    assert!(
        text.contains("Épicerie à Ixelles ? — RAPPORT DU 31/05/2026"),
        "{text}"
    );
    assert!(text.contains(&format!("Page {pages}/{pages}")), "{text}");
    let numbered: Vec<u32> = text
        .lines()
        .filter(|l| l.contains(" x1 "))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert_eq!(numbered, (1..=300).collect::<Vec<u32>>());
    assert!(text.lines().any(|l| l.contains("[retrait]")
        && l.contains("20,00 €")
        && l.trim_start().starts_with("150")));
    assert!(text.contains(&format!("SOLDE CAISSE : {}", Money::from_cents(299 * 120))));
    // The column header repeats on the pages that carry lines.
    assert!(text.matches("PRODUIT").count() >= pages - 1);
}

#[test]
fn the_command_line_writes_a_pdf_day_report_only_to_a_file() {
    let dir = common::seeded_dir();
    let o = common::run(
        dir.path(),
        &["report", "day", "2026-05-31", "--format", "pdf"],
        "",
    );
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("--output"),
        "{}",
        common::stderr(&o)
    );
    let out = dir.path().join("r.pdf");
    let o = common::run(
        dir.path(),
        &[
            "report",
            "day",
            "2026-05-31",
            "--format",
            "pdf",
            "--output",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(common::stdout(&o).is_empty());
    let text = pdf_text(&out);
    assert!(text.contains("RAPPORT DU 31/05/2026"), "{text}");
    assert!(text.contains("aucune vente"), "{text}");
}

#[actix::test]
async fn products_are_added_edited_disabled_and_bad_ones_change_nothing() {
    let mut shop = Shop::local();
    shop.login_ok("1", "1111").await;
    let before = shop.products().await;
    assert_eq!(before.len(), 9);

    let ok = shop
        .ok(AdminRequest::SaveProduct(product(
            "7777",
            Some("5449000000996"),
            "  Baguette ",
            130,
        )))
        .await;
    assert!(
        matches!(&ok, AdminReply::Done { message } if message.contains("ajouté")),
        "{ok:?}"
    );
    let ok = shop
        .ok(AdminRequest::SaveProduct(product(
            "7777",
            Some("5449000000996"),
            "Baguette",
            140,
        )))
        .await;
    assert!(
        matches!(&ok, AdminReply::Done { message } if message.contains("modifié")),
        "{ok:?}"
    );
    let saved = shop.products().await;
    let baguette = saved.iter().find(|p| p.code.as_str() == "7777").unwrap();
    assert_eq!(
        (baguette.name.as_str(), baguette.price),
        ("Baguette", Money::from_cents(140))
    );
    let after_edit = shop.products().await;

    for (bad, code) in [
        (product("7777", None, "Baguette", -1), "bad_product"),
        (product("7777", None, "Baguette", 1_000_001), "bad_product"),
        (product("7777", None, "   ", 140), "bad_product"),
        (product("7777", None, &"x".repeat(61), 140), "bad_product"),
        // Pain au chocolat's barcode.
        (
            product("8888", Some("1946753214860"), "Copie", 100),
            "barcode_taken",
        ),
        (
            product("7777", Some("1946753214860"), "Baguette", 140),
            "barcode_taken",
        ),
    ] {
        let e = shop.refused(AdminRequest::SaveProduct(bad), code).await;
        if code == "barcode_taken" {
            assert!(e.message.contains("1234"), "names the owner: {}", e.message);
        }
    }
    assert_eq!(shop.products().await, after_edit);

    shop.ok(AdminRequest::SetProductActive {
        code: "7777".into(),
        active: false,
    })
    .await;
    let p = shop.products().await;
    assert!(
        !p.iter().find(|p| p.code.as_str() == "7777").unwrap().active,
        "listed while disabled"
    );
    // An edit never re-enables it (only SetProductActive does).
    shop.ok(AdminRequest::SaveProduct(product(
        "7777", None, "Baguette", 135,
    )))
    .await;
    let p = shop.products().await;
    let baguette = p.iter().find(|p| p.code.as_str() == "7777").unwrap();
    assert_eq!((baguette.price.cents(), baguette.active), (135, false));
    shop.refused(
        AdminRequest::SetProductActive {
            code: "4242".into(),
            active: false,
        },
        "unknown_product",
    )
    .await;
    shop.refused(
        AdminRequest::SetProductActive {
            code: "".into(),
            active: false,
        },
        "bad_code",
    )
    .await;
    let audit = shop.ledger().audit_log(20).unwrap();
    assert_eq!(
        audit.iter().filter(|a| a.action == "catalog_edit").count(),
        4,
        "{audit:#?}"
    );
}

#[actix::test]
async fn a_catalog_import_is_all_or_nothing_and_names_the_bad_line() {
    let mut shop = Shop::local();
    shop.login_ok("1", "1111").await;
    let before = shop.products().await;
    let bad = "code,barcode,name,price,vat_rate\n7001,,Baguette,1.30,6\n7002,,Pistolet,abc,6\n";
    let e = shop
        .refused(
            AdminRequest::ImportCatalog(bad.as_bytes().to_vec()),
            "bad_csv",
        )
        .await;
    assert!(e.message.contains("row 3"), "{}", e.message);
    let clash = "code,barcode,name,price,vat_rate\n7001,,Baguette,1.30,6\n7002,1946753214860,Pistolet,0.50,6\n";
    shop.refused(
        AdminRequest::ImportCatalog(clash.as_bytes().to_vec()),
        "barcode_taken",
    )
    .await;
    assert_eq!(shop.products().await, before, "nothing imported");

    let good = "code,barcode,name,price,vat_rate\n7001,,Baguette,1.30,6\n1234,1946753214860,Pain au chocolat,1.25,6\n";
    assert_eq!(
        shop.ok(AdminRequest::ImportCatalog(good.as_bytes().to_vec()))
            .await,
        AdminReply::Imported {
            added: 1,
            updated: 1
        }
    );
    let p = shop.products().await;
    assert_eq!(p.len(), 10);
    assert_eq!(
        p.iter().find(|p| p.code.as_str() == "1234").unwrap().price,
        Money::from_cents(125)
    );
}

#[actix::test]
async fn staff_are_added_disabled_and_given_a_new_pin_that_logs_in() {
    let mut shop = Shop::local();
    shop.login_ok("1", "1111").await;
    assert_eq!(shop.staff().await.len(), 5);

    shop.ok(AdminRequest::AddStaff {
        staff: staff("30", " NOUR ", Role::Cashier),
        pin: "3030".into(),
    })
    .await;
    shop.refused(
        AdminRequest::AddStaff {
            staff: staff("14", "Autre", Role::Cashier),
            pin: "1234".into(),
        },
        "staff_exists",
    )
    .await;
    for pin in ["12", "123456789", "12a4", ""] {
        shop.refused(
            AdminRequest::AddStaff {
                staff: staff("31", "SAM", Role::Cashier),
                pin: pin.into(),
            },
            "bad_pin",
        )
        .await;
    }
    shop.refused(
        AdminRequest::AddStaff {
            staff: staff("31", "   ", Role::Cashier),
            pin: "3131".into(),
        },
        "bad_staff",
    )
    .await;
    let list = shop.staff().await;
    assert_eq!(list.len(), 6);
    assert!(
        list.iter()
            .any(|s| s.id.as_str() == "30" && s.name == "NOUR")
    );
    assert!(!list.iter().any(|s| s.id.as_str() == "31"));

    let e = shop
        .refused(
            AdminRequest::SetStaffActive {
                id: "1".into(),
                active: false,
            },
            "cannot_disable_self",
        )
        .await;
    assert!(!e.message.is_empty());
    shop.ok(AdminRequest::SetStaffActive {
        id: "2".into(),
        active: false,
    })
    .await;
    shop.refused(
        AdminRequest::SetStaffActive {
            id: "99".into(),
            active: false,
        },
        "unknown_staff",
    )
    .await;
    shop.refused(
        AdminRequest::ResetPin {
            id: "99".into(),
            pin: "1234".into(),
        },
        "unknown_staff",
    )
    .await;
    shop.refused(
        AdminRequest::ResetPin {
            id: "27".into(),
            pin: "27".into(),
        },
        "bad_pin",
    )
    .await;

    // AWA locks herself out, then the admin gives her a new PIN.
    shop.logout().await;
    for _ in 0..5 {
        shop.login("27", "0000").await;
    }
    let ev = shop.login("27", "2727").await;
    assert!(
        ev.iter().any(|e| matches!(
            e,
            TillEvent::LoginRefused {
                reason: RefusalReason::LockedOut,
                ..
            }
        )),
        "{ev:?}"
    );
    shop.login_ok("1", "1111").await;
    shop.ok(AdminRequest::ResetPin {
        id: "27".into(),
        pin: "2728".into(),
    })
    .await;
    shop.logout().await;
    let ev = shop.login("27", "2727").await;
    assert!(
        ev.iter().any(|e| matches!(
            e,
            TillEvent::LoginRefused {
                reason: RefusalReason::BadPin,
                ..
            }
        )),
        "the old PIN fails: {ev:?}"
    );
    shop.login_ok("27", "2728").await;
    shop.logout().await;
    shop.login_ok("30", "3030").await;
    shop.logout().await;
    let ev = shop.login("2", "2222").await;
    assert!(
        ev.iter().any(|e| matches!(
            e,
            TillEvent::LoginRefused {
                reason: RefusalReason::Disabled,
                ..
            }
        )),
        "{ev:?}"
    );
    let audit = shop.ledger().audit_log(100).unwrap();
    for action in ["staff_added", "staff_disabled", "pin_reset"] {
        assert!(
            audit
                .iter()
                .any(|a| a.action == action && a.staff_id.as_deref() == Some("1")),
            "{action}: {audit:#?}"
        );
    }
}

/// Runs one SQL statement on the test database.
fn exec(db: &TestDb, sql: &str) {
    db.exec(sql);
}

/// A sale of till-2 recorded centrally: 2 Tarte au riz by AYMAN at 16:00 on 31/05.
fn other_tills_sale(db: &TestDb) {
    let zeros = "0".repeat(64);
    exec(
        db,
        &format!(
            "INSERT INTO sales (id, till_id, ticket_no, staff_id, staff_name, account, method, payment_ref, \
             revenue_cents, withdrawal_cents, paid_cents, tendered_cents, change_cents, paid_at, day, prev_hash, hash, received_at) \
             VALUES ('0190aaaa-0000-7000-8000-000000000001', 'till-2', 1, '2', 'AYMAN', 'main', 'cash', NULL, \
             220, 0, 220, NULL, 0, '2026-05-31T14:00:00.000Z', '2026-05-31', '{zeros}', '{}', 0)",
            "1".repeat(64)
        ),
    );
    exec(
        db,
        "INSERT INTO sale_lines (sale_id, line_no, kind, product_code, name, unit_cents, qty, total_cents, vat_rate) \
         VALUES ('0190aaaa-0000-7000-8000-000000000001', 1, 'item', '5678', 'Tarte au riz', 110, 2, 220, 6)",
    );
}

#[actix::test]
async fn with_a_central_database_reports_cover_every_till_and_changes_reach_it_first() {
    let db = TestDb::create();
    let central = Central::new(&Secret::new(db.url.clone())).unwrap();
    central.migrate().await.unwrap();
    central.clone().disconnect().await;
    other_tills_sale(&db);

    let mut raw = RawSettings::default();
    raw.central.url = Secret::new(db.url.clone());
    let mut shop = Shop::open(raw);
    shop.with_sales_then_admin().await;

    let (source, days) = shop.days().await;
    assert_eq!(source, ReportSource::Central);
    assert!(days.contains(&may(31)), "{days:?}");
    let (source, report) = shop.day_report(may(31)).await;
    assert_eq!(source, ReportSource::Central);
    assert!(
        report
            .lines
            .iter()
            .any(|l| l.till_id == "till-2" && l.product == "Tarte au riz" && l.seller == "AYMAN"),
        "{report:#?}"
    );
    // This till's sales reach the central database through the sync; then both add up.
    let deadline = std::time::Instant::now() + StdDuration::from_secs(30);
    while db.int("SELECT COUNT(*) FROM sales WHERE till_id = 'till-1'") < 3 {
        assert!(std::time::Instant::now() < deadline, "till-1 never synced");
        tokio::time::sleep(StdDuration::from_millis(200)).await;
    }
    let (_, report) = shop.day_report(may(31)).await;
    assert_eq!(report.revenue_cents, Money::from_cents(1270 + 220));
    match shop
        .ok(AdminRequest::Journal {
            from: may(30),
            to: may(31),
        })
        .await
    {
        AdminReply::Journal { source, journal } => {
            assert_eq!(source, ReportSource::Central);
            assert_eq!(journal.revenue_cents, Money::from_cents(1370 + 220));
        }
        other => panic!("{other:?}"),
    }
    // Hidden here, hidden in the central list too (this till's list).
    shop.ok(AdminRequest::HideDay(may(30))).await;
    assert_eq!(shop.days().await, (ReportSource::Central, vec![may(31)]));
    let pdf = shop.export(may(31), ExportFormat::Pdf).await;
    assert!(pdf_text(&pdf).contains("Tarte au riz"));

    // Staff and products: central first, and at once on this till.
    shop.ok(AdminRequest::AddStaff {
        staff: staff("30", "NOUR", Role::Cashier),
        pin: "3030".into(),
    })
    .await;
    assert_eq!(db.int("SELECT COUNT(*) FROM staff WHERE id = '30'"), 1);
    shop.ok(AdminRequest::ResetPin {
        id: "30".into(),
        pin: "3131".into(),
    })
    .await;
    shop.ok(AdminRequest::SaveProduct(product(
        "7777", None, "Baguette", 130,
    )))
    .await;
    assert_eq!(
        db.int("SELECT price_cents FROM products WHERE code = '7777'"),
        130
    );
    assert!(
        shop.products()
            .await
            .iter()
            .any(|p| p.code.as_str() == "7777")
    );
    shop.ok(AdminRequest::SetProductActive {
        code: "7777".into(),
        active: false,
    })
    .await;
    assert_eq!(db.int("SELECT active FROM products WHERE code = '7777'"), 0);
    // A price edit made from a list that still shows it enabled (the screen's list is stale:
    // another till disabled it) keeps it disabled, centrally and here.
    shop.ok(AdminRequest::SaveProduct(product(
        "7777", None, "Baguette", 140,
    )))
    .await;
    assert_eq!(
        db.int("SELECT price_cents * 10 + active FROM products WHERE code = '7777'"),
        1400
    );
    let here = shop.products().await;
    let baguette = here.iter().find(|p| p.code.as_str() == "7777").unwrap();
    assert_eq!((baguette.price.cents(), baguette.active), (140, false));
    // A barcode another article holds centrally is refused there, and nothing changes here.
    shop.ok(AdminRequest::SaveProduct(product(
        "7779",
        Some("5449000000996"),
        "Eau",
        80,
    )))
    .await;
    let before = shop.products().await;
    shop.refused(
        AdminRequest::SaveProduct(product("7780", Some("5449000000996"), "Eau bis", 80)),
        "barcode_taken",
    )
    .await;
    assert_eq!(
        db.int("SELECT COUNT(*) FROM products WHERE code = '7780'"),
        0
    );
    assert_eq!(shop.products().await, before);
}

#[actix::test]
async fn with_the_central_database_down_reports_fall_back_to_local_and_changes_are_refused() {
    let port = common::free_port();
    let mut raw = RawSettings::default();
    raw.central.url = Secret::new(format!("mysql://root@127.0.0.1:{port}/kaching"));
    let mut shop = Shop::open(raw);
    shop.with_sales_then_admin().await;

    let started = std::time::Instant::now();
    assert_eq!(
        shop.days().await,
        (ReportSource::Local, vec![may(31), may(30)])
    );
    let (source, report) = shop.day_report(may(31)).await;
    assert_eq!((source, report.lines.len()), (ReportSource::Local, 6));
    assert!(
        started.elapsed() < StdDuration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let path = shop.export(may(31), ExportFormat::Txt).await;
    assert!(std::fs::read_to_string(path).unwrap().contains("12,70 €"));

    let ledger = shop.ledger();
    let before = (
        ledger.products().unwrap(),
        ledger.staff_list().unwrap(),
        ledger.staff_record(&StaffId::parse("27").unwrap()).unwrap(),
    );
    for r in [
        AdminRequest::AddStaff {
            staff: staff("30", "NOUR", Role::Cashier),
            pin: "3030".into(),
        },
        AdminRequest::SetStaffActive {
            id: "27".into(),
            active: false,
        },
        AdminRequest::ResetPin {
            id: "27".into(),
            pin: "2728".into(),
        },
        AdminRequest::SaveProduct(product("7777", None, "Baguette", 130)),
        AdminRequest::SetProductActive {
            code: "1234".into(),
            active: false,
        },
        AdminRequest::ImportCatalog(
            b"code,barcode,name,price,vat_rate\n7001,,Baguette,1.30,6\n".to_vec(),
        ),
    ] {
        let e = shop.refused(r, "central_unreachable").await;
        assert!(e.message.contains("rien n'a été modifié"), "{}", e.message);
    }
    let after = (
        ledger.products().unwrap(),
        ledger.staff_list().unwrap(),
        ledger.staff_record(&StaffId::parse("27").unwrap()).unwrap(),
    );
    assert_eq!(before, after);
    // Bad input is still named as such, before the central database is asked.
    shop.refused(
        AdminRequest::AddStaff {
            staff: staff("31", "SAM", Role::Cashier),
            pin: "1".into(),
        },
        "bad_pin",
    )
    .await;
}

#[actix::test]
async fn a_central_database_that_never_answers_costs_a_report_three_seconds_not_more() {
    // Accepts TCP connections (the kernel's backlog) and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let mut raw = RawSettings::default();
    raw.central.url = Secret::new(format!("mysql://root@127.0.0.1:{port}/kaching"));
    let mut shop = Shop::open(raw);
    shop.with_sales_then_admin().await;

    let started = std::time::Instant::now();
    let (source, report) = shop.day_report(may(31)).await;
    let took = started.elapsed();
    assert_eq!((source, report.lines.len()), (ReportSource::Local, 6));
    // A host that accepts and stays silent is given up after the connection bound
    // (`mysql_hosts::CONNECT_TIMEOUT`, 2 s), inside the report's own 3 s.
    assert!(
        took >= StdDuration::from_millis(1900) && took < StdDuration::from_secs(6),
        "{took:?}"
    );
    drop(silent);
}

/// The admin's refusals are in the admin's own language, one language at a time: the French
/// admin reads French, a Dutch-speaking admin Dutch (never « fr / en » pairs any more).
#[actix::test]
async fn admin_refusals_speak_the_admins_language_and_only_that_one() {
    let mut shop = Shop::local();
    shop.login_ok("1", "1111").await;
    let mut dutch = staff("40", "JOKE", Role::Admin);
    dutch.lang = kaching::i18n::Lang::Nl;
    shop.ok(AdminRequest::AddStaff {
        staff: dutch,
        pin: "4040".into(),
    })
    .await;
    let refusals = [
        (
            AdminRequest::AddStaff {
                staff: staff("14", "Autre", Role::Cashier),
                pin: "1234".into(),
            },
            "staff_exists",
        ),
        (
            AdminRequest::SetStaffActive {
                id: "99".into(),
                active: false,
            },
            "unknown_staff",
        ),
    ];
    let mut french = Vec::new();
    for (r, code) in refusals.clone() {
        french.push(shop.refused(r, code).await.message);
    }
    assert_eq!(
        french,
        ["l'ID 14 existe déjà", "membre du personnel introuvable"]
    );

    shop.logout().await;
    shop.login_ok("40", "4040").await;
    let mut dutch = Vec::new();
    for (r, code) in refusals {
        dutch.push(shop.refused(r, code).await.message);
    }
    assert_eq!(dutch, ["ID 14 bestaat al", "medewerker niet gevonden"]);
    let e = shop
        .refused(
            AdminRequest::SetStaffActive {
                id: "40".into(),
                active: false,
            },
            "cannot_disable_self",
        )
        .await;
    assert_eq!(e.message, "u kunt uzelf niet uitschakelen");
    for m in french.iter().chain(&dutch) {
        assert!(!m.contains(" / "), "two languages in one message: {m}");
    }
}

#[actix::test]
async fn an_admin_sets_a_persons_language_and_their_next_login_speaks_it() {
    let mut shop = Shop::local();
    shop.login_ok("1", "1111").await;
    shop.ok(AdminRequest::SetStaffLang {
        id: "14".into(),
        lang: Lang::Nl,
    })
    .await;
    shop.refused(
        AdminRequest::SetStaffLang {
            id: "99".into(),
            lang: Lang::Nl,
        },
        "unknown_staff",
    )
    .await;
    let list = shop.staff().await;
    let khadija = list.iter().find(|s| s.id.as_str() == "14").unwrap();
    assert_eq!(khadija.lang, Lang::Nl);
    shop.logout().await;
    let ev = shop.login("14", "1414").await;
    assert!(
        ev.iter()
            .any(|e| matches!(e, TillEvent::LoggedIn { lang: Lang::Nl, .. })),
        "{ev:#?}"
    );
}

#[actix::test]
async fn a_product_edit_changes_only_the_patched_fields_of_the_product_as_it_is_now() {
    let mut shop = Shop::local();
    shop.login_ok("1", "1111").await;
    let before = shop
        .products()
        .await
        .into_iter()
        .find(|p| p.code.as_str() == "0000")
        .expect("the demo's café");
    // Meanwhile (another screen, a stale list) the café was disabled.
    shop.ok(AdminRequest::SetProductActive {
        code: "0000".into(),
        active: false,
    })
    .await;
    shop.ok(AdminRequest::EditProduct {
        code: "0000".into(),
        patch: kaching::domain::product::ProductPatch {
            price: Some(Money::from_cents(before.price.cents() + 20)),
            ..Default::default()
        },
    })
    .await;
    let after = shop
        .products()
        .await
        .into_iter()
        .find(|p| p.code.as_str() == "0000")
        .unwrap();
    assert_eq!(after.price.cents(), before.price.cents() + 20);
    assert_eq!(after.name, before.name, "the name was not part of the edit");
    assert!(!after.active, "an edit never re-enables a product");
    shop.refused(
        AdminRequest::EditProduct {
            code: "7777".into(),
            patch: kaching::domain::product::ProductPatch {
                name: Some("Nouveau".into()),
                ..Default::default()
            },
        },
        "unknown_product",
    )
    .await;
}

/// The exports are in the logged-in admin's language: a Dutch-speaking admin downloads a Dutch
/// TXT and PDF (« 1 kasticket », amounts as 12,70 €), an English-speaking one « €12.70 », and the
/// CSV is the same file for both (its columns are a file format).
#[actix::test]
async fn exports_speak_the_admins_language_and_the_csv_stays_the_same() {
    let mut shop = Shop::local();
    shop.with_sales_then_admin().await;
    let french_csv = std::fs::read(shop.export(may(31), ExportFormat::Csv).await).unwrap();
    for (id, name, lang) in [
        ("40", "JOKE", kaching::i18n::Lang::Nl),
        ("41", "JANE", kaching::i18n::Lang::En),
    ] {
        let mut admin = staff(id, name, Role::Admin);
        admin.lang = lang;
        shop.ok(AdminRequest::AddStaff {
            staff: admin,
            pin: "4040".into(),
        })
        .await;
    }

    shop.logout().await;
    shop.login_ok("40", "4040").await;
    let txt = std::fs::read_to_string(shop.export(may(31), ExportFormat::Txt).await).unwrap();
    assert!(txt.contains("DAGRAPPORT VAN 31/05/2026"), "{txt}");
    assert!(txt.contains("KASSALDO: 12,70 €"), "{txt}");
    assert!(txt.contains(" 2 kastickets "), "{txt}");
    assert!(txt.contains("[geldopname]"), "{txt}");
    assert!(!txt.contains("SOLDE CAISSE"), "{txt}");
    let pdf = pdf_text(&shop.export(may(31), ExportFormat::Pdf).await);
    assert!(pdf.contains("DAGRAPPORT VAN 31/05/2026"), "{pdf}");
    assert!(pdf.contains("KASSALDO: 12,70 €"), "{pdf}");
    assert!(pdf.contains("Pagina 1/1"), "{pdf}");
    let csv = std::fs::read(shop.export(may(31), ExportFormat::Csv).await).unwrap();
    assert_eq!(csv, french_csv);
    match shop.ok(AdminRequest::HideDay(may(30))).await {
        AdminReply::Done { message } => assert_eq!(
            message,
            "rapport van 30/05/2026 verborgen (de verkopen blijven geregistreerd)"
        ),
        other => panic!("{other:?}"),
    }

    shop.logout().await;
    shop.login_ok("41", "4040").await;
    let txt = std::fs::read_to_string(shop.export(may(31), ExportFormat::Txt).await).unwrap();
    assert!(txt.contains("DAY REPORT FOR 31/05/2026"), "{txt}");
    assert!(txt.contains("TILL BALANCE: €12.70"), "{txt}");
    assert!(!txt.contains("12,70"), "{txt}");
    let pdf = pdf_text(&shop.export(may(31), ExportFormat::Pdf).await);
    assert!(pdf.contains("TILL BALANCE: €12.70"), "{pdf}");
    let csv = std::fs::read(shop.export(may(31), ExportFormat::Csv).await).unwrap();
    assert_eq!(csv, french_csv);
}

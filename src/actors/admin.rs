//! The admin's work through the runtime: reports (central when reachable, else local, and the
//! reply says which), exports (TXT, CSV, PDF), products and staff. The GUI's admin screens call
//! [`crate::actors::Till::admin`]; they never open the ledger themselves (DESIGN §2).
//!
//! Every request needs an admin logged in on this till; a cashier gets `not_admin`, nobody
//! `not_logged_in` (an idle-locked session `session_locked`), as for the till's commands. Bad
//! input gets a clear [`CommandError`] and changes nothing. Decisions:
//!
//! - **Reports** (days, day report, journal, export) read the central database when
//!   `central.url` is set — every till of the shop — bounded by [`REPORT_TIMEOUT`] (3 s): an
//!   admin screen must not hang on a dead link. On an error or a timeout the till reads its own
//!   ledger instead, logs why, and the reply says [`ReportSource::Local`]. One
//!   [`crate::sync::Central`] (one small pool) per till, shared with the SyncActor.
//! - **Hiding a day** is local (`hidden_days`, audited `report_hidden`): it tidies *this* till's
//!   list and never touches a financial record. The central database has no equivalent and is
//!   left alone; the list of days read centrally is filtered by this till's hidden days, so a
//!   hidden day stays hidden whichever source answered. The journal ignores hiding (legal record).
//! - **Exports** go to `admin.export_dir` (default `<data dir>/exports`, created on demand) as
//!   `rapport-YYYY-MM-DD.{txt,csv,pdf}`, written to a temporary file then renamed: a reader never
//!   sees half a report; an export of the same day replaces the previous one.
//! - **Products and staff** must reach every till. With a central database the change is
//!   written there first (one transaction), then applied to this ledger at once so it shows
//!   without waiting for the next sync pull (which later brings the same rows, harmlessly). If
//!   the central database cannot be reached the request is refused with `central_unreachable`
//!   and nothing changes anywhere: a change made on one till only would silently diverge. With
//!   no central database configured, the ledger is the only copy. A barcode held by another
//!   article is refused (`barcode_taken`) on both paths, and a CSV import is all or nothing.
//! - An admin may not disable themself (`cannot_disable_self`): the shop would be left without
//!   anyone able to undo it. New PINs are hashed with the till's own [`PinHasher`] (the same
//!   pepper the logins verify with) and a reset lifts a lockout.
//!
//! Error codes: `not_admin`, `not_logged_in`, `session_locked`, `bad_period`, `bad_product`,
//! `bad_code`, `barcode_taken`, `unknown_product`, `bad_csv`, `bad_staff`, `bad_pin`,
//! `staff_exists`, `unknown_staff`, `cannot_disable_self`, `central_unreachable`,
//! `central_conflict` (another writer kept winning, retried and given up: nothing changed),
//! `central_refused`, `export_failed`, `store_error`, `internal`.

use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::product::{ProductPatch, check_edit};
use crate::domain::report::{DayReport, DaySummary, Journal};
use crate::domain::staff::{Staff, parse_staff_name};
use crate::domain::{ArticleCode, Pin, Product, Role, StaffId};
use crate::i18n::{Lang, t};
use crate::secrets::PinHasher;
use crate::store::StoreError;
use crate::sync::{Central, SyncError};

use super::{CommandError, ledger, session};

pub use crate::domain::report::ExportFormat;

/// How long a report waits for the central database before reading the local ledger.
pub const REPORT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a central write may take in all (each statement is bounded too).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(15);

/// Where a report was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportSource {
    /// The central database: every till of the shop.
    Central,
    /// This till's ledger only (no central database configured, or not reachable now).
    Local,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminRequest {
    /// The days that have sales, newest first (hidden days left out).
    Days,
    DayReport(NaiveDate),
    /// "Delete" a day: hidden from the list, audited; its sales stay.
    HideDay(NaiveDate),
    Journal {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Writes the day report into the export directory (`admin.export_dir`, default
    /// `<data dir>/exports`) as `rapport-YYYY-MM-DD.<ext>`.
    Export {
        day: NaiveDate,
        format: ExportFormat,
    },
    /// Every product, disabled ones included, by code.
    Products,
    /// Add a product, or edit the one with the same code.
    /// Adds a product, or edits one by its code; an edit never enables or disables it (its
    /// `active` counts only for a new product).
    SaveProduct(Product),
    /// Changes only the patched fields of the product with this code, as it is now (the
    /// admin's screen sends what the admin changed, never a stale copy of the rest).
    EditProduct {
        code: String,
        patch: ProductPatch,
    },
    SetProductActive {
        code: String,
        active: bool,
    },
    /// CSV bytes (code,barcode,name,price,vat_rate): all or nothing; the first bad row is named.
    ImportCatalog(Vec<u8>),
    /// Every employee, disabled ones included.
    Staff,
    /// A new employee with their first PIN (4-8 digits).
    AddStaff {
        staff: Staff,
        pin: String,
    },
    SetStaffActive {
        id: String,
        active: bool,
    },
    /// The language the till speaks to this person from their next login.
    SetStaffLang {
        id: String,
        lang: crate::i18n::Lang,
    },
    /// A new PIN (4-8 digits); clears a lockout.
    ResetPin {
        id: String,
        pin: String,
    },
    /// This till's Z reports, newest first (the last [`Z_HISTORY`]).
    ZReports,
}

/// How many past Z reports the « Caisse » pane lists.
pub const Z_HISTORY: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminReply {
    Days {
        source: ReportSource,
        days: Vec<DaySummary>,
    },
    DayReport {
        source: ReportSource,
        report: DayReport,
    },
    Journal {
        source: ReportSource,
        journal: Journal,
    },
    Exported {
        path: PathBuf,
    },
    Products(Vec<Product>),
    Staff(Vec<Staff>),
    ZReports(Vec<crate::domain::drawer::DrawerReport>),
    Imported {
        added: usize,
        updated: usize,
    },
    /// A change was made; `message` says what, in French, for the screen.
    Done {
        message: String,
    },
}

fn err(code: &'static str, message: impl Into<String>) -> CommandError {
    CommandError {
        code,
        message: message.into(),
    }
}

fn internal(e: impl std::fmt::Display) -> CommandError {
    err("internal", e.to_string())
}

/// A ledger error: conflicts and missing rows get the request's own codes.
fn store_error(
    lang: Lang,
    e: StoreError,
    conflict: &'static str,
    not_found: &'static str,
) -> CommandError {
    match e {
        StoreError::Conflict(m) => err(conflict, m),
        // The ledger's own words are English: the person reads what was not found, in their
        // language, and the log keeps the detail.
        StoreError::NotFound(m) => {
            tracing::info!(detail = %m, code = not_found, "not found");
            let id = match not_found {
                "unknown_staff" => "admin-no-such-staff",
                "unknown_product" => "admin-no-such-product",
                _ => "admin-not-found",
            };
            err(not_found, t(lang, id, &[]))
        }
        other => err("store_error", other.to_string()),
    }
}

/// A central database error on a write: nothing was changed.
fn central_error(
    lang: Lang,
    e: SyncError,
    conflict: &'static str,
    not_found: &'static str,
) -> CommandError {
    match e {
        SyncError::Retryable(m) => err(
            "central_unreachable",
            t(lang, "admin-central-unreachable", &[("detail", m.into())]),
        ),
        SyncError::Conflicted { tries, detail } => err(
            "central_conflict",
            t(
                lang,
                "admin-central-conflict",
                &[("tries", (tries as i64).into()), ("detail", detail.into())],
            ),
        ),
        SyncError::Conflict(m) => err(conflict, m),
        SyncError::NotFound(m) => err(not_found, m),
        SyncError::Permanent(m) | SyncError::Ledger(m) => err(
            "central_refused",
            t(lang, "admin-central-refused", &[("detail", m.into())]),
        ),
    }
}

fn unreachable_central(lang: Lang) -> CommandError {
    err(
        "central_unreachable",
        t(lang, "admin-central-unusable", &[]),
    )
}

fn done(message: impl Into<String>) -> AdminReply {
    AdminReply::Done {
        message: message.into(),
    }
}

/// Writes `bytes` to `dir/name` through a temporary file in the same directory and a rename,
/// creating `dir` if needed: readers see the old file or the whole new one, never a part.
pub fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    std::fs::create_dir_all(dir)?;
    let path = dir.join(name);
    let tmp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename itself is durable once the directory is synced (best effort: not every
    // file system lets a directory be opened).
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(path)
}

/// Hashes a PIN off the async executor (Argon2 takes tens of milliseconds).
async fn hash_pin(hasher: std::sync::Arc<PinHasher>, pin: Pin) -> Result<String, CommandError> {
    tokio::task::spawn_blocking(move || hasher.hash(&pin))
        .await
        .map_err(internal)?
        .map_err(internal)
}

impl super::Till {
    /// Runs one admin request (see [`AdminRequest`]). The reply goes to the caller only; changes
    /// are audited in the ledger.
    pub async fn admin(&self, request: AdminRequest) -> Result<AdminReply, CommandError> {
        let admin = self.authorize_admin().await?;
        let by = admin.id.to_string();
        match request {
            AdminRequest::Days => {
                let hidden = self
                    .ledger_run(|l| l.hidden_days(), "store_error", "store_error")
                    .await?;
                match self
                    .central_read("days", |c| async move { c.days().await })
                    .await
                {
                    Some(days) => Ok(AdminReply::Days {
                        source: ReportSource::Central,
                        days: days
                            .into_iter()
                            .filter(|d| !hidden.contains(&d.day))
                            .collect(),
                    }),
                    None => Ok(AdminReply::Days {
                        source: ReportSource::Local,
                        days: self
                            .ledger_run(|l| l.days(), "store_error", "store_error")
                            .await?,
                    }),
                }
            }
            AdminRequest::DayReport(day) => {
                let (source, report) = self.day_report(day).await?;
                Ok(AdminReply::DayReport { source, report })
            }
            AdminRequest::HideDay(day) => {
                let now = self.clock.now();
                self.ledger_run(
                    move |l| l.hide_day(day, now, Some(&by)),
                    "store_error",
                    "store_error",
                )
                .await?;
                let lang = self.hub.lang();
                Ok(done(t(
                    lang,
                    "report-day-hidden",
                    &[("day", crate::domain::report::local_date(lang, day).into())],
                )))
            }
            AdminRequest::Journal { from, to } => {
                crate::domain::report::check_period(from, to)
                    .map_err(|e| err("bad_period", e.to_string()))?;
                let central = self
                    .central_read("journal", |c| async move { c.journal(from, to).await })
                    .await;
                let (source, journal) = match central {
                    Some(j) => (ReportSource::Central, j),
                    None => (
                        ReportSource::Local,
                        self.ledger_run(move |l| l.journal(from, to), "store_error", "store_error")
                            .await?,
                    ),
                };
                let journal = journal.map_err(|e| err("bad_period", e.to_string()))?;
                Ok(AdminReply::Journal { source, journal })
            }
            AdminRequest::Export { day, format } => {
                let (_, report) = self.day_report(day).await?;
                let dir = self.settings.export_dir_in(&self.data_dir);
                let shop = self.settings.shop.name.clone();
                let lang = self.hub.lang();
                let path = tokio::task::spawn_blocking(move || {
                    // In the logged-in admin's language, like the refusals.
                    let bytes = format
                        .render_in(lang, &report, &shop)
                        .map_err(|e| err("export_failed", e.to_string()))?;
                    write_atomically(&dir, &format.file_name(day), &bytes).map_err(|e| {
                        err(
                            "export_failed",
                            t(
                                lang,
                                "admin-cannot-write",
                                &[
                                    ("dir", dir.display().to_string().into()),
                                    ("error", e.to_string().into()),
                                ],
                            ),
                        )
                    })
                })
                .await
                .map_err(internal)??;
                let (now, detail) = (self.clock.now(), path.display().to_string());
                self.ledger_run(
                    move |l| l.audit(now, Some(&by), "report_exported", &detail),
                    "store_error",
                    "store_error",
                )
                .await?;
                Ok(AdminReply::Exported { path })
            }
            AdminRequest::Products => Ok(AdminReply::Products(
                self.ledger_run(|l| l.products(), "store_error", "store_error")
                    .await?,
            )),
            AdminRequest::SaveProduct(product) => self.save_product(product, by).await,
            AdminRequest::EditProduct { code, patch } => {
                let product = self.patched_product(&code, &patch).await?;
                self.save_product(product, by).await
            }
            AdminRequest::SetProductActive { code, active } => {
                let code =
                    ArticleCode::parse(&code).map_err(|e| self.says("bad_code", e.text()))?;
                let now = self.clock.now();
                let label = code.to_string();
                let s = code.to_string();
                self.write_through(
                    |c| async move { c.set_product_active(&s, active).await },
                    move |l| l.set_product_active(&code, active, now, Some(&by)),
                    "unknown_product",
                )
                .await?;
                Ok(done(format!(
                    "article {label} {}",
                    if active { "activé" } else { "désactivé" }
                )))
            }
            AdminRequest::ImportCatalog(bytes) => {
                let products = crate::domain::catalog::parse_csv(&bytes).map_err(|e| {
                    err(
                        "bad_csv",
                        t(
                            self.hub.lang(),
                            "admin-nothing-imported",
                            &[("error", e.to_string().into())],
                        ),
                    )
                })?;
                let now = self.clock.now();
                let summary = match self.central_for_write()? {
                    Some(c) => {
                        let ps = products.clone();
                        self.central_write(
                            async move { c.save_products(&ps).await },
                            "barcode_taken",
                            "unknown_product",
                        )
                        .await?;
                        self.ledger_run(
                            move |l| l.mirror_products(&products, now, Some(&by), "catalog_import"),
                            "barcode_taken",
                            "unknown_product",
                        )
                        .await
                        .map_err(|e| applied_centrally(self.hub.lang(), e))?
                    }
                    None => {
                        self.ledger_run(
                            move |l| l.import_products(&products, now, Some(&by)),
                            "barcode_taken",
                            "unknown_product",
                        )
                        .await?
                    }
                };
                Ok(AdminReply::Imported {
                    added: summary.added,
                    updated: summary.updated,
                })
            }
            AdminRequest::ZReports => {
                let till = self.settings.till_id.clone();
                Ok(AdminReply::ZReports(
                    self.ledger_run(
                        move |l| l.z_reports(&till, Z_HISTORY),
                        "store_error",
                        "store_error",
                    )
                    .await?,
                ))
            }
            AdminRequest::Staff => Ok(AdminReply::Staff(
                self.ledger_run(|l| l.staff_list(), "store_error", "store_error")
                    .await?,
            )),
            AdminRequest::AddStaff { staff, pin } => {
                let name =
                    parse_staff_name(&staff.name).map_err(|e| self.says("bad_staff", e.text()))?;
                let pin = Pin::parse(&pin).map_err(|e| self.says("bad_pin", e.text()))?;
                let staff = Staff { name, ..staff };
                let sid = staff.id.clone();
                if self
                    .ledger_run(move |l| l.staff_record(&sid), "store_error", "store_error")
                    .await?
                    .is_some()
                {
                    return Err(err(
                        "staff_exists",
                        t(
                            self.hub.lang(),
                            "admin-staff-exists",
                            &[("id", staff.id.to_string().into())],
                        ),
                    ));
                }
                let central = self.central_for_write()?;
                let hash = hash_pin(self.hasher.clone(), pin).await?;
                let now = self.clock.now();
                let label = format!("{} {}", staff.id, staff.name);
                match central {
                    Some(c) => {
                        let (s, h) = (staff.clone(), hash.clone());
                        self.central_write(
                            async move { c.add_staff(&s, &h).await },
                            "staff_exists",
                            "unknown_staff",
                        )
                        .await?;
                        let r = self
                            .ledger_run(
                                move |l| l.add_staff(&staff, &hash, now, Some(&by)),
                                "staff_exists",
                                "unknown_staff",
                            )
                            .await;
                        // Already pulled by the sync in between: the same row, fine.
                        match r {
                            Err(e) if e.code == "staff_exists" => {}
                            other => other.map_err(|e| applied_centrally(self.hub.lang(), e))?,
                        }
                    }
                    None => {
                        self.ledger_run(
                            move |l| l.add_staff(&staff, &hash, now, Some(&by)),
                            "staff_exists",
                            "unknown_staff",
                        )
                        .await?
                    }
                }
                Ok(done(format!("{label} ajouté(e)")))
            }
            AdminRequest::SetStaffActive { id, active } => {
                let sid = StaffId::parse(&id).map_err(|e| self.says("bad_staff", e.text()))?;
                if !active && sid == admin.id {
                    return Err(err(
                        "cannot_disable_self",
                        t(self.hub.lang(), "admin-not-yourself", &[]),
                    ));
                }
                let now = self.clock.now();
                let label = sid.to_string();
                let s = sid.to_string();
                self.write_through(
                    |c| async move { c.set_staff_active(&s, active).await },
                    move |l| l.set_staff_active(&sid, active, now, Some(&by)),
                    "unknown_staff",
                )
                .await?;
                Ok(done(format!(
                    "{label} {}",
                    if active {
                        "activé(e)"
                    } else {
                        "désactivé(e)"
                    }
                )))
            }
            AdminRequest::SetStaffLang { id, lang } => {
                let sid = StaffId::parse(&id).map_err(|e| self.says("bad_staff", e.text()))?;
                let now = self.clock.now();
                let label = sid.to_string();
                let s = sid.to_string();
                self.write_through(
                    |c| async move { c.set_staff_lang(&s, lang).await },
                    move |l| l.set_staff_lang(&sid, lang, now, Some(&by)),
                    "unknown_staff",
                )
                .await?;
                Ok(done(t(
                    self.hub.lang(),
                    "admin-staff-lang",
                    &[("id", label.into()), ("lang", lang.as_str().into())],
                )))
            }
            AdminRequest::ResetPin { id, pin } => {
                let sid = StaffId::parse(&id).map_err(|e| self.says("bad_staff", e.text()))?;
                let pin = Pin::parse(&pin).map_err(|e| self.says("bad_pin", e.text()))?;
                if self.central_for_write()?.is_none() {
                    let s = sid.clone();
                    if self
                        .ledger_run(move |l| l.staff_record(&s), "store_error", "store_error")
                        .await?
                        .is_none()
                    {
                        return Err(err(
                            "unknown_staff",
                            t(
                                self.hub.lang(),
                                "admin-unknown-id",
                                &[("id", sid.to_string().into())],
                            ),
                        ));
                    }
                }
                let hash = hash_pin(self.hasher.clone(), pin).await?;
                let now = self.clock.now();
                let label = sid.to_string();
                let (s, h) = (sid.to_string(), hash.clone());
                self.write_through(
                    |c| async move { c.set_staff_pin(&s, &h).await },
                    move |l| l.set_staff_pin(&sid, &hash, now, Some(&by)),
                    "unknown_staff",
                )
                .await?;
                Ok(done(format!("nouveau PIN pour {label} (blocage levé)")))
            }
        }
    }

    /// The logged-in admin, or the reason to refuse.
    async fn save_product(&self, product: Product, by: String) -> Result<AdminReply, CommandError> {
        let product = check_edit(&product).map_err(|e| self.says("bad_product", e.text()))?;
        let what = format!("{} {}", product.code, product.name);
        let added = match self.central_for_write()? {
            Some(c) => {
                let p = vec![product.clone()];
                self.central_write(
                    async move { c.save_products(&p).await },
                    "barcode_taken",
                    "unknown_product",
                )
                .await?;
                let now = self.clock.now();
                self.ledger_run(
                    move |l| {
                        l.mirror_products(&[product], now, Some(&by), "catalog_edit")
                            .map(|s| s.added == 1)
                    },
                    "barcode_taken",
                    "unknown_product",
                )
                .await
                .map_err(|e| applied_centrally(self.hub.lang(), e))?
            }
            None => {
                let now = self.clock.now();
                self.ledger_run(
                    move |l| l.save_product(&product, now, Some(&by)),
                    "barcode_taken",
                    "unknown_product",
                )
                .await?
            }
        };
        Ok(done(if added {
            format!("article {what} ajouté")
        } else {
            format!("article {what} modifié")
        }))
    }

    /// The product with `code` as the ledger has it now (mirrored from the central database
    /// when there is one), with `patch` applied.
    async fn patched_product(
        &self,
        code: &str,
        patch: &ProductPatch,
    ) -> Result<Product, CommandError> {
        let code = ArticleCode::parse(code).map_err(|e| self.says("bad_code", e.text()))?;
        let products = self
            .ledger_run(|l| l.products(), "store_error", "store_error")
            .await?;
        let current = products
            .into_iter()
            .find(|p| p.code == code)
            .ok_or_else(|| err("unknown_product", format!("{code}")))?;
        Ok(patch.apply(&current))
    }

    /// A refusal said in the admin's language.
    fn says(&self, code: &'static str, text: crate::i18n::Text) -> CommandError {
        err(code, text.render(self.hub.lang()))
    }

    async fn authorize_admin(&self) -> Result<Staff, CommandError> {
        let staff = self
            .session
            .send(session::Authorize)
            .await
            .map_err(internal)?
            .map_err(|r| err(r.code, r.message(self.hub.lang())))?;
        if staff.role != Role::Admin {
            return Err(err(
                "not_admin",
                t(
                    self.hub.lang(),
                    "admin-only",
                    &[
                        ("name", staff.name.as_str().into()),
                        ("role", staff.role.as_str().into()),
                    ],
                ),
            ));
        }
        Ok(staff)
    }

    /// Runs `f` on the ledger thread, mapping its errors to the request's codes.
    async fn ledger_run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut crate::store::Ledger) -> crate::store::StoreResult<R> + Send + 'static,
        conflict: &'static str,
        not_found: &'static str,
    ) -> Result<R, CommandError> {
        ledger::run(&self.ledger, f)
            .await
            .map_err(|e| store_error(self.hub.lang(), e, conflict, not_found))
    }

    /// A report from the central database, or `None` (none configured, unusable, failed or
    /// slower than [`REPORT_TIMEOUT`]: the reason is logged) to read the local ledger instead.
    async fn central_read<T, Fut>(
        &self,
        what: &'static str,
        f: impl FnOnce(Central) -> Fut,
    ) -> Option<T>
    where
        Fut: Future<Output = Result<T, SyncError>>,
    {
        self.settings.central_url.as_ref()?;
        let Some(central) = self.central.clone() else {
            tracing::warn!(report = what, "central database unusable: local report");
            return None;
        };
        match tokio::time::timeout(REPORT_TIMEOUT, f(central)).await {
            Ok(Ok(v)) => Some(v),
            Ok(Err(e)) => {
                tracing::warn!(report = what, error = %e, "central report failed: local report");
                None
            }
            Err(_) => {
                tracing::warn!(report = what, timeout = ?REPORT_TIMEOUT, "central report too slow: local report");
                None
            }
        }
    }

    /// The day report, central if possible.
    async fn day_report(&self, day: NaiveDate) -> Result<(ReportSource, DayReport), CommandError> {
        let tz = self.settings.tz;
        match self
            .central_read("day", |c| async move { c.day_report(day, tz).await })
            .await
        {
            Some(r) => Ok((ReportSource::Central, r)),
            None => Ok((
                ReportSource::Local,
                self.ledger_run(move |l| l.day_report(day, tz), "store_error", "store_error")
                    .await?,
            )),
        }
    }

    /// Where a product or staff change is written first: `None` when there is no central
    /// database (the ledger alone); an error when one is configured but unusable.
    fn central_for_write(&self) -> Result<Option<Central>, CommandError> {
        match (&self.settings.central_url, &self.central) {
            (None, _) => Ok(None),
            (Some(_), Some(c)) => Ok(Some(c.clone())),
            (Some(_), None) => Err(unreachable_central(self.hub.lang())),
        }
    }

    /// A change every till must see: in the central database first (when one is configured),
    /// then in this till's ledger. A row this till has not pulled yet is fine (the next sync
    /// brings it with the change); without a central database, the ledger alone.
    async fn write_through<Fut>(
        &self,
        central: impl FnOnce(Central) -> Fut,
        local: impl FnOnce(&mut crate::store::Ledger) -> crate::store::StoreResult<()> + Send + 'static,
        not_found: &'static str,
    ) -> Result<(), CommandError>
    where
        Fut: Future<Output = Result<(), SyncError>>,
    {
        match self.central_for_write()? {
            Some(c) => {
                self.central_write(central(c), "central_refused", not_found)
                    .await?;
                let r = self.ledger_run(local, "store_error", not_found).await;
                tolerate_missing_locally(r).map_err(|e| applied_centrally(self.hub.lang(), e))
            }
            None => self.ledger_run(local, "store_error", not_found).await,
        }
    }

    /// A central write, bounded by [`WRITE_TIMEOUT`]; its errors mean nothing changed (a
    /// timeout during COMMIT may have applied it centrally: the sync pull then brings it here).
    async fn central_write<T>(
        &self,
        fut: impl Future<Output = Result<T, SyncError>>,
        conflict: &'static str,
        not_found: &'static str,
    ) -> Result<T, CommandError> {
        match tokio::time::timeout(WRITE_TIMEOUT, fut).await {
            Ok(r) => r.map_err(|e| central_error(self.hub.lang(), e, conflict, not_found)),
            Err(_) => Err(central_error(
                self.hub.lang(),
                SyncError::Retryable(format!("no answer within {WRITE_TIMEOUT:?}")),
                conflict,
                not_found,
            )),
        }
    }
}

/// After a central write: a row this till has not pulled yet is not an error (the sync pull
/// brings it with the change).
fn tolerate_missing_locally(r: Result<(), CommandError>) -> Result<(), CommandError> {
    match r {
        Err(e) if e.code.starts_with("unknown_") => {
            tracing::info!(message = %e.message, "not in this ledger yet: the next sync brings it");
            Ok(())
        }
        other => other,
    }
}

/// A local failure after the central database accepted the change: say so, the next sync
/// pull applies it here.
fn applied_centrally(lang: Lang, e: CommandError) -> CommandError {
    tracing::warn!(code = e.code, message = %e.message, "central change not applied locally");
    err(
        "store_error",
        t(
            lang,
            "admin-saved-centrally",
            &[("detail", e.message.into())],
        ),
    )
}

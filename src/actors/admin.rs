//! The admin's work through the runtime: reports (central when reachable, else local, and the
//! reply says which), exports (TXT, CSV, PDF), products and staff. The GUI's admin screens call
//! [`crate::actors::Till::admin`]; they never open the ledger themselves (DESIGN §2).
//!
//! Every request needs an admin logged in on this till; a cashier (or nobody) gets
//! `not_admin`. Bad input gets a clear [`CommandError`] and changes nothing.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::Product;
use crate::domain::report::{DayReport, DaySummary, Journal};
use crate::domain::staff::Staff;

/// Where a report was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportSource {
    /// The central database: every till of the shop.
    Central,
    /// This till's ledger only (no central database configured, or not reachable now).
    Local,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Txt,
    Csv,
    Pdf,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Txt => "txt",
            ExportFormat::Csv => "csv",
            ExportFormat::Pdf => "pdf",
        }
    }
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
    SaveProduct(Product),
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
    /// A new PIN (4-8 digits); clears a lockout.
    ResetPin {
        id: String,
        pin: String,
    },
}

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
    Imported {
        added: usize,
        updated: usize,
    },
    /// A change was made; `message` says what, in French, for the screen.
    Done {
        message: String,
    },
}

impl super::Till {
    /// Runs one admin request (see [`AdminRequest`]). The reply goes to the caller only; changes
    /// are audited in the ledger.
    pub async fn admin(&self, request: AdminRequest) -> Result<AdminReply, super::CommandError> {
        let _ = request;
        Err(super::CommandError {
            code: "not_implemented",
            message: "not implemented yet".into(),
        })
    }
}

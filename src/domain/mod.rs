//! Pure rules of the shop: money, codes, products, staff, baskets, sales, opening hours, the
//! ticket layout and the reports. No IO, no runtime, no screen: everything here is tested with
//! plain unit tests and used by every face of the program.

pub mod barcode;
pub mod basket;
pub mod cash_count;
pub mod catalog;
pub mod discount;
pub mod drawer;
pub mod drawer_pdf;
pub mod drawer_print;
pub mod hours;
pub mod instore;
pub mod money;
pub mod product;
pub mod receipt;
pub mod refund;
pub mod report;
pub mod report_pdf;
pub mod sale;
pub mod staff;

pub use barcode::{ArticleCode, Gtin, ScannedCode};
pub use basket::{Account, Basket, LineKind};
pub use money::Money;
pub use product::{Product, VatRate};
pub use sale::{PaymentMethod, Sale, SaleDraft};
pub use staff::{Pin, Role, Staff, StaffId};

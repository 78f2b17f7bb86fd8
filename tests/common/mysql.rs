//! A database of its own on the test MySQL/MariaDB server (`KACHING_TEST_MYSQL_URL`, default
//! `mysql://root@127.0.0.1:3306`), dropped at the end of the test. No server is a failure, never
//! a skip: CI provisions one (scripts/setup.sh).
#![allow(dead_code)]

use kaching::secrets::redacted_url;
use mysql_async::prelude::Queryable;

/// The server every test database lives on.
pub fn server_url() -> url::Url {
    let raw = std::env::var("KACHING_TEST_MYSQL_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "mysql://root@127.0.0.1:3306".to_owned());
    let mut u = url::Url::parse(raw.trim())
        .unwrap_or_else(|e| panic!("KACHING_TEST_MYSQL_URL is not a URL: {e}"));
    u.set_path("");
    u
}

pub fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).unwrap();
    hex::encode(b)
}

/// Runs `f` with a connection to `url` on a runtime of its own (callable from sync tests,
/// async tests and `Drop`).
pub fn with_conn<R: Send + 'static>(
    url: String,
    f: impl for<'a> FnOnce(
        &'a mut mysql_async::Conn,
    ) -> futures_util::future::BoxFuture<'a, Result<R, mysql_async::Error>>
    + Send
    + 'static,
) -> Result<R, mysql_async::Error> {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut conn = mysql_async::Conn::from_url(url.as_str()).await?;
            let r = f(&mut conn).await;
            let _ = conn.disconnect().await;
            r
        })
    })
    .join()
    .unwrap()
}

/// A database of its own on the test server, dropped at the end of the test.
pub struct TestDb {
    pub name: String,
    /// `mysql://…/<name>`: what the store and `pay_server.database` get.
    pub url: String,
}

impl TestDb {
    pub fn create() -> TestDb {
        let server = server_url();
        let name = format!("kaching_test_{}", random_hex(8));
        let sql =
            format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        if let Err(e) = with_conn(server.to_string(), move |c| Box::pin(c.query_drop(sql))) {
            panic!(
                "no MySQL/MariaDB server at {} ({e}): these tests need one (set \
                 KACHING_TEST_MYSQL_URL, or start the local one: start-stop-daemon --start \
                 --oknodo --background --exec /usr/sbin/mariadbd)",
                redacted_url(server.as_str())
            );
        }
        let mut u = server;
        u.set_path(&format!("/{name}"));
        // Small pools: tests run in parallel against one server (max_connections 151).
        u.set_query(Some("pool_min=0&pool_max=6"));
        TestDb {
            name,
            url: u.to_string(),
        }
    }

    /// Runs one statement; panics with the server's error.
    pub fn exec(&self, sql: &str) {
        let sql = sql.to_owned();
        with_conn(self.url.clone(), move |c| Box::pin(c.query_drop(sql)))
            .unwrap_or_else(|e| panic!("central statement failed: {e}"));
    }

    /// One integer the database answers to `sql`.
    pub fn int(&self, sql: &str) -> i64 {
        let sql = sql.to_owned();
        with_conn(self.url.clone(), move |c| {
            Box::pin(c.query_first::<i64, _>(sql))
        })
        .unwrap()
        .unwrap_or_else(|| panic!("no row"))
    }

    /// Rows of strings.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        let sql = sql.to_owned();
        with_conn(self.url.clone(), move |c| {
            Box::pin(c.query::<String, _>(sql))
        })
        .unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS `{}`", self.name);
        let r = with_conn(server_url().to_string(), move |c| {
            Box::pin(c.query_drop(sql))
        });
        if let Err(e) = r {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

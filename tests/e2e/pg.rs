//! A PostgreSQL schema of its own per test, so runs never collide, dropped when the test ends.

/// The server the tests use: `POSBRIDGE_PG_URL`, else the local one of CONTRACT §11's setup.
fn base_url() -> String {
    std::env::var("POSBRIDGE_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A schema created for one test.
pub struct Schema {
    name: String,
}

impl Schema {
    /// Creates `e2e_<test>_<pid>_<nanos>`.
    pub async fn create(test: &str) -> Schema {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!("e2e_{test}_{}_{nanos}", std::process::id());
        execute(&format!("CREATE SCHEMA {name}")).await;
        Schema { name }
    }

    /// The database URL that keeps every table of posbridge in this schema.
    pub fn url(&self) -> String {
        let base = base_url();
        let join = if base.contains('?') { '&' } else { '?' };
        format!("{base}{join}options=-c%20search_path%3D{}", self.name)
    }
}

impl Schema {
    /// Drops every table of the schema behind the servers' backs, as a lost database would.
    pub async fn drop_tables(&self) {
        execute(&format!(
            "DROP SCHEMA {name} CASCADE; CREATE SCHEMA {name}",
            name = self.name
        ))
        .await;
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let statement = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name);
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(execute(&statement));
        })
        .join();
        if dropped.is_err() {
            eprintln!("could not drop schema {}", self.name);
        }
    }
}

async fn execute(statement: &str) {
    let url = base_url();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not reachable at {url} ({e}); these tests need it: start it \
                 (e.g. `pg_ctlcluster 15 main start`) or set POSBRIDGE_PG_URL"
            )
        });
    let driver = tokio::spawn(connection);
    client.batch_execute(statement).await.unwrap();
    drop(client);
    let _ = driver.await;
}

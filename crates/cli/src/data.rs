//! The local commands on the database: `migrate`, `import FILE` and `export`.

use std::path::Path;
use std::sync::Arc;

use posbridge_domain::master::MasterData;
use posbridge_protocol::master_data::{read_master_data, write_master_data};
use posbridge_server::clock::{Clock, SystemClock};
use posbridge_store::model::ImportSummary;
use posbridge_store::{OpError, Store};

use crate::failure::Failure;
use crate::progress::Stages;

/// Opens the database at `url`, which runs pending migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, Failure> {
    tracing::info!(
        database = %posbridge_store::redact(url),
        "opening the database (pending migrations run now)"
    );
    posbridge_store::open(url)
        .await
        .map_err(|err| Failure::store(url, &err))
}

/// `posbridge migrate`.
pub async fn migrate(url: &str) -> Result<(), Failure> {
    let store = open(url).await?;
    println!(
        "{} database {} is migrated; the schema is current",
        store.backend(),
        posbridge_store::redact(url)
    );
    Ok(())
}

/// `posbridge import FILE`: the document is read and checked before the database is touched;
/// its stages (reading, validating, writing) show as progress on a terminal.
pub async fn import(file: &Path, url: &str) -> Result<(), Failure> {
    let stages = Stages::new(3);
    let result = import_stages(file, url, &stages).await;
    stages.finish();
    let summary = result?;
    println!("imported {}: {}", file.display(), describe(&summary));
    Ok(())
}

async fn import_stages(file: &Path, url: &str, stages: &Stages) -> Result<ImportSummary, Failure> {
    let shown = file.display();
    stages.stage("reading");
    let bytes = std::fs::read(file).map_err(|err| {
        Failure::new(format!("cannot read {shown}: {err}"))
            .hint("give the path of a master data JSON file (CONTRACT §3)")
    })?;
    stages.stage("validating");
    let data = read_master_data(&bytes).map_err(|err| {
        Failure::new(format!("{shown} refused: {err}"))
            .hint("fix the document and import it again; nothing was imported")
    })?;
    let store = open(url).await?;
    stages.stage("writing");
    tracing::info!(entities = count(&data), "importing {shown}");
    import_into(store.as_ref(), &data, url)
        .await
        .map_err(|failure| {
            failure.hint("fix the document and import it again; nothing was imported")
        })
}

/// Imports `data`, all or nothing.
pub async fn import_into(
    store: &dyn Store,
    data: &MasterData,
    url: &str,
) -> Result<ImportSummary, Failure> {
    store
        .import_master_data(data, SystemClock.now())
        .await
        .map_err(|err| match err {
            OpError::Refused(refusal) => Failure::new(format!("master data refused: {refusal}")),
            OpError::Store(err) => Failure::store(url, &err),
        })
}

/// `posbridge export`: the stored master data as JSON on stdout.
pub async fn export(url: &str) -> Result<(), Failure> {
    let store = open(url).await?;
    let data = store
        .master_data()
        .await
        .map_err(|err| Failure::store(url, &err))?;
    print!("{}", write_master_data(&data));
    Ok(())
}

/// `merchants 1, shops 2, …; 3 price quotes changed`.
pub fn describe(summary: &ImportSummary) -> String {
    let counts: Vec<String> = summary
        .upserted
        .iter()
        .map(|(entity, n)| format!("{entity} {n}"))
        .collect();
    let counts = if counts.is_empty() {
        "nothing to upsert".to_owned()
    } else {
        counts.join(", ")
    };
    format!("{counts}; {} price quotes changed", summary.prices_changed)
}

fn count(data: &MasterData) -> usize {
    data.merchants.len()
        + data.shops.len()
        + data.customer_units.len()
        + data.guides.len()
        + data.products.len()
        + data.stock.len()
        + data.prices.len()
        + data.accounts.len()
}

//! The `posbridge` command (CONTRACT §12): `serve`, the local commands on a database (`migrate`,
//! `import`, `export`, `bill`, `clerks`, `report`, `callbacks`) and the client commands against a
//! running server (`sell`, `settle`, `qimen`).
//!
//! Exit codes: 0 ok, 1 a business or store error or an unreachable server (the message says what
//! to do), 2 a usage error (clap's own, including a limit or time zone out of range, and a FILE
//! that cannot be read). Logs go to stderr, filtered by
//! `POSBRIDGE_LOG` (default `info`), as text or JSON lines (`--log-format`); stdout carries only
//! what a command answers, so `export > file` works.

mod bill;
mod callbacks;
mod clerks;
mod data;
mod demo;
mod failure;
mod logging;
mod progress;
mod qimen;
mod remote;
mod report;
mod sell;
mod serve;
mod settle;
mod views;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use posbridge_domain::limits::CountLimits;
use posbridge_protocol::limits::DepthLimit;
use posbridge_protocol::time_text::UtcOffset;

use crate::failure::Failure;
use crate::logging::LogFormat;

/// mimalloc instead of the system allocator: request handling allocates many small, short-lived
/// values, and it answers about 20 % more bills per second under load (`cargo xtask bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// posbridge: sell bills, payments, rebate settlements and clerk sync for scenic-area shops.
#[derive(Debug, Parser)]
#[command(name = "posbridge", version)]
struct Cli {
    /// How log lines are written to stderr.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = LogFormat::Text,
        env = "POSBRIDGE_LOG_FORMAT"
    )]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (migrates the database first).
    Serve(ServeArgs),
    /// Create or upgrade the database schema.
    Migrate(DatabaseArg),
    /// Load a master data document (CONTRACT §3), all or nothing (migrates first).
    Import {
        /// The master data JSON file.
        file: PathBuf,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Print the stored master data as JSON (accounts carry tokenSha256, never tokens).
    Export(DatabaseArg),
    /// The operators' reports: a day's sales, and the rebates owed.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// The callback outbox: list events, redeliver them.
    #[command(subcommand)]
    Callbacks(callbacks::CallbacksCommand),
    /// Sell bills in the database: one bill, or a customer unit's listing.
    #[command(subcommand)]
    Bill(bill::BillCommand),
    /// Clerks in the database.
    #[command(subcommand)]
    Clerks(ClerksCommand),
    /// Sell bill calls against a running server (a channel account's token).
    #[command(subcommand)]
    Sell(sell::SellCommand),
    /// Rebate settlement calls against a running server (a merchant account's token).
    #[command(subcommand)]
    Settle(settle::SettleCommand),
    /// Qimen calls against a running server (an erp account's appKey and secret).
    #[command(subcommand)]
    Qimen(QimenCommand),
}

/// `posbridge clerks`.
#[derive(Debug, Subcommand)]
enum ClerksCommand {
    /// A shop's clerks, by clerk code.
    List(clerks::ListArgs),
}

/// `posbridge qimen`.
#[derive(Debug, Subcommand)]
enum QimenCommand {
    /// taobao.qimen.pos.clerk.synchronize: add, update or delete the clerks of each FILE.
    SyncClerks(qimen::SyncClerksArgs),
}

/// The database a local command works on.
#[derive(Debug, Args)]
struct DatabaseArg {
    /// `sqlite://PATH` (embedded) or `postgres://USER@HOST:PORT/DB` (shared by several servers).
    #[arg(
        long,
        value_name = "URL",
        env = "POSBRIDGE_DATABASE_URL",
        default_value = "sqlite://posbridge.db",
        hide_env_values = true
    )]
    database: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(
        long,
        value_name = "ADDR",
        env = "POSBRIDGE_LISTEN",
        default_value = "127.0.0.1:8080"
    )]
    listen: SocketAddr,

    #[command(flatten)]
    database: DatabaseArg,

    /// Load sample master data and print its tokens and a ready `curl` line.
    #[arg(long)]
    demo: bool,

    /// Largest request body accepted, in bytes [default: the server's, 1 MiB].
    #[arg(long, value_name = "BYTES", env = "POSBRIDGE_BODY_LIMIT_BYTES")]
    body_limit_bytes: Option<usize>,

    /// Longest a request may take, in seconds [default: the server's].
    #[arg(long, value_name = "SECONDS", env = "POSBRIDGE_REQUEST_TIMEOUT_SECS")]
    request_timeout_secs: Option<u64>,

    /// Most lines of a sell bill and details of a settlement (more is 1004), 1 to 10000.
    #[arg(
        long,
        value_name = "N",
        env = "POSBRIDGE_MAX_DETAILS",
        default_value_t = CountLimits::DEFAULT.details(),
        value_parser = details_count
    )]
    max_details: usize,

    /// Most clerks of a Qimen request (more is 1004), 1 to 10000.
    #[arg(
        long,
        value_name = "N",
        env = "POSBRIDGE_MAX_CLERKS",
        default_value_t = CountLimits::DEFAULT.clerks(),
        value_parser = clerks_count
    )]
    max_clerks: usize,

    /// Deepest nesting of a request body, the root being level 1 (deeper is 400/1001), 8 to 64.
    #[arg(
        long,
        value_name = "N",
        env = "POSBRIDGE_MAX_DEPTH",
        default_value_t = DepthLimit::DEFAULT.levels(),
        value_parser = depth_levels
    )]
    max_depth: usize,

    /// The business time zone, a fixed offset from UTC: the times of views, and the days of
    /// `yyyyMMdd` dates.
    #[arg(
        long,
        value_name = "±HH:MM",
        env = "POSBRIDGE_TIMEZONE",
        default_value = "+08:00",
        value_parser = timezone
    )]
    timezone: UtcOffset,

    /// Delay before the second attempt at a callback, in milliseconds; later delays double (up
    /// to an hour), with jitter.
    #[arg(
        long,
        value_name = "MS",
        env = "POSBRIDGE_CALLBACK_RETRY_BASE_MS",
        default_value_t = 5_000,
        value_parser = clap::value_parser!(u64).range(1..=3_600_000)
    )]
    callback_retry_base_ms: u64,

    /// How long after an event attempts to deliver it go on, in seconds; then it is `dead`.
    #[arg(
        long,
        value_name = "SECONDS",
        env = "POSBRIDGE_CALLBACK_MAX_AGE_S",
        default_value_t = 259_200,
        value_parser = clap::value_parser!(u64).range(1..=31_536_000)
    )]
    callback_max_age_s: u64,

    /// Callback attempts of one account in flight at once in this process, so a slow receiver
    /// never delays other accounts' callbacks (1 to 64).
    #[arg(
        long,
        value_name = "N",
        env = "POSBRIDGE_CALLBACK_ACCOUNT_CONCURRENCY",
        default_value_t = 8,
        value_parser = clap::value_parser!(u16).range(1..=64)
    )]
    callback_account_concurrency: u16,

    /// Run no callback delivery in this process (another process delivers).
    #[arg(long, env = "POSBRIDGE_NO_CALLBACKS")]
    no_callbacks: bool,
}

/// `--max-details`: a count the domain accepts ([`CountLimits::with_details`]).
fn details_count(text: &str) -> Result<usize, String> {
    let count = whole_number(text)?;
    CountLimits::DEFAULT
        .with_details(count)
        .map(CountLimits::details)
        .map_err(|err| err.to_string())
}

/// `--max-clerks`: a count the domain accepts ([`CountLimits::with_clerks`]).
fn clerks_count(text: &str) -> Result<usize, String> {
    let count = whole_number(text)?;
    CountLimits::DEFAULT
        .with_clerks(count)
        .map(CountLimits::clerks)
        .map_err(|err| err.to_string())
}

/// `--max-depth`: a depth the protocol accepts ([`DepthLimit::new`]).
fn depth_levels(text: &str) -> Result<usize, String> {
    let levels = whole_number(text)?;
    DepthLimit::new(levels)
        .map(DepthLimit::levels)
        .map_err(|err| err.to_string())
}

fn whole_number(text: &str) -> Result<usize, String> {
    text.trim()
        .parse()
        .map_err(|_| "must be a whole number".to_owned())
}

/// `--timezone`: `±HH:MM` (or `Z`, UTC).
pub(crate) fn timezone(text: &str) -> Result<UtcOffset, String> {
    UtcOffset::parse(text.trim()).ok_or_else(|| {
        "the business time zone must be a fixed offset written ±HH:MM (hours below 24, \
         minutes below 60), such as +08:00 or -05:30"
            .to_owned()
    })
}

fn main() -> ExitCode {
    // Usage errors exit with 2, `--help` and `--version` with 0, as clap does.
    let cli = Cli::parse();
    logging::init(cli.log_format);
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print();
            ExitCode::from(failure.exit_code())
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::new(format!("cannot start the async runtime: {err}")))?;
    runtime.block_on(async {
        match command {
            Command::Serve(args) => serve::run(args).await,
            Command::Migrate(args) => data::migrate(&args.database).await,
            Command::Import { file, database } => data::import(&file, &database.database).await,
            Command::Export(args) => data::export(&args.database).await,
            Command::Report(command) => report::run(command).await,
            Command::Callbacks(command) => callbacks::run(command).await,
            Command::Bill(command) => bill::run(command).await,
            Command::Clerks(ClerksCommand::List(args)) => clerks::list(args).await,
            Command::Sell(command) => sell::run(command).await,
            Command::Settle(command) => settle::run(command).await,
            Command::Qimen(QimenCommand::SyncClerks(args)) => qimen::sync_clerks(args).await,
        }
    })
}

//! Structured logs to stderr: `POSBRIDGE_LOG` chooses what (an `EnvFilter` directive, default
//! `info`), `--log-format` how (text for people, one JSON object per line for collectors).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The variable holding the log filter, e.g. `info,posbridge_server=debug`.
const FILTER_VAR: &str = "POSBRIDGE_LOG";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Installs the global subscriber. A filter that cannot be parsed falls back to `info`, with a
/// warning, rather than leaving the server without logs.
pub fn init(format: LogFormat) {
    let (filter, bad_filter) = match std::env::var(FILTER_VAR) {
        Ok(directives) if !directives.trim().is_empty() => match EnvFilter::try_new(&directives) {
            Ok(filter) => (filter, None),
            Err(err) => (
                EnvFilter::new("info"),
                Some(format!("{directives:?}: {err}")),
            ),
        },
        _ => (EnvFilter::new("info"), None),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    if let Err(err) = installed {
        eprintln!("warning: logging is not available: {err}");
    }
    if let Some(problem) = bad_filter {
        tracing::warn!("{FILTER_VAR} is not a valid filter, using info: {problem}");
    }
}

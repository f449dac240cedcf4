//! Why a command failed, said so that the operator knows what to do next.

use posbridge_store::StoreError;

/// A failed command: what went wrong, and a hint at the fix. Printed to stderr; exit code 1, or 2
/// for a usage error.
#[derive(Debug)]
pub struct Failure {
    message: String,
    hint: Option<String>,
    usage: bool,
}

impl Failure {
    /// A failure without a hint.
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            hint: None,
            usage: false,
        }
    }

    /// A usage error: the command line or the environment asks for something impossible.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            usage: true,
            ..Failure::new(message)
        }
    }

    /// The same failure, as a usage error.
    pub fn into_usage(mut self) -> Failure {
        self.usage = true;
        self
    }

    /// The exit code: 2 for a usage error, else 1.
    pub fn exit_code(&self) -> u8 {
        if self.usage { 2 } else { 1 }
    }

    /// Adds what to do about it.
    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }

    /// The store could not be opened or used at `url`.
    pub fn store(url: &str, err: &StoreError) -> Failure {
        let shown = posbridge_store::redact(url);
        // The store's messages often name the database already.
        let text = err.to_string();
        let failure = if text.contains(&shown) {
            Failure::new(text)
        } else {
            Failure::new(format!("database {shown}: {text}"))
        };
        let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
        match err {
            StoreError::Unavailable(_) if postgres => failure.hint(
                "check that PostgreSQL is running and accepts connections for this user and \
                 database, or give another URL with --database or POSBRIDGE_DATABASE_URL",
            ),
            StoreError::Unavailable(_) if url.starts_with("sqlite://") => failure.hint(
                "check that the file's directory exists and is writable, or give another \
                 sqlite://PATH with --database or POSBRIDGE_DATABASE_URL",
            ),
            StoreError::Unavailable(_) => failure.hint(
                "use sqlite://PATH or postgres://USER@HOST:PORT/DATABASE with --database or \
                 POSBRIDGE_DATABASE_URL",
            ),
            StoreError::Corrupt(_) => failure.hint(
                "the stored data cannot be read back; restore the database from a backup or \
                 point --database at another one",
            ),
            StoreError::NotFound(_) | StoreError::Conflict(_) => failure,
        }
    }

    /// Writes the failure to stderr.
    pub fn print(&self) {
        eprintln!("error: {}", self.message);
        if let Some(hint) = &self.hint {
            eprintln!("hint: {hint}");
        }
    }

    /// Writes the failure to stderr as the failure of one of several things, `what`.
    pub fn print_for(&self, what: &str) {
        eprintln!("error: {what}: {}", self.message);
        if let Some(hint) = &self.hint {
            eprintln!("hint: {hint}");
        }
    }
}

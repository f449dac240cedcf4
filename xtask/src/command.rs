//! Running an external program as one visible step: echo the command, inherit the terminal, and
//! turn a non-zero exit into an error that names the command.

use std::fmt;
use std::path::Path;
use std::process::{Command, Stdio};

/// A program and its arguments, run from the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmd {
    program: String,
    args: Vec<String>,
}

impl Cmd {
    /// `cargo` with the given arguments; `cargo` is looked up on `PATH` like a developer would.
    pub fn cargo(args: &[&str]) -> Cmd {
        Cmd {
            program: "cargo".to_owned(),
            args: args.iter().map(|arg| (*arg).to_owned()).collect(),
        }
    }

    /// A program other than cargo (git, for listing files).
    pub fn program(program: &str, args: &[&str]) -> Cmd {
        Cmd {
            program: program.to_owned(),
            args: args.iter().map(|arg| (*arg).to_owned()).collect(),
        }
    }

    /// Runs the command with the terminal inherited and fails unless it exits with success.
    pub fn run(&self, root: &Path) -> Result<(), String> {
        let status = self
            .command(root)
            .status()
            .map_err(|err| format!("could not start `{self}`: {err}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{self}` failed ({status})"))
        }
    }

    /// Runs the command with stdout inherited and stderr captured, and returns the captured
    /// stderr together with whether the command succeeded.
    pub fn run_capturing_stderr(&self, root: &Path) -> Result<(bool, String), String> {
        let output = self
            .command(root)
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped())
            .output()
            .map_err(|err| format!("could not start `{self}`: {err}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        Ok((output.status.success(), stderr))
    }

    /// Whether the command runs and succeeds, with its output thrown away (for probing tools).
    pub fn succeeds_quietly(&self, root: &Path) -> bool {
        self.command(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    /// Runs the command and returns its stdout, failing with its stderr when it fails.
    pub fn read_stdout(&self, root: &Path) -> Result<Vec<u8>, String> {
        let output = self
            .command(root)
            .stdin(Stdio::null())
            .output()
            .map_err(|err| format!("could not start `{self}`: {err}"))?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Err(format!(
                "`{self}` failed ({}): {}",
                output.status,
                stderr.trim()
            ))
        }
    }

    fn command(&self, root: &Path) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args).current_dir(root);
        command
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.program)?;
        for arg in &self.args {
            write!(f, " {}", shell_quoted(arg))?;
        }
        Ok(())
    }
}

/// `arg` as a shell would need it, so a printed command can be pasted: plain words stay as
/// they are, anything else goes in single quotes.
fn shell_quoted(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_commands_can_be_pasted_into_a_shell() {
        let check = |args: &[&str], expect: &str| {
            assert_eq!(Cmd::cargo(args).to_string(), expect);
        };
        check(&["fmt", "--all", "--check"], "cargo fmt --all --check");
        check(&["bench", "--bench", "*"], "cargo bench --bench '*'");
        check(&["x", "", "it's"], r"cargo x '' 'it'\''s'");
    }
}

//! Progress of long commands (CONTRACT §12): the stages of `import` and the files of a client
//! command given several. Drawn on stderr only, and only when stderr is a terminal, so pipes,
//! scripts and tests see exactly what the command answers.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar of `len` steps (`0`: a spinner), hidden unless stderr is a terminal.
fn bar(len: u64, template: &str) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    // The templates are constants of this module; a bad one would only lose the styling.
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// The named stages of one command, one after the other.
pub struct Stages {
    bar: ProgressBar,
}

impl Stages {
    /// A bar over `names.len()` stages.
    pub fn new(names: usize) -> Stages {
        Stages {
            bar: bar(names as u64, "[{pos}/{len}] {msg}"),
        }
    }

    /// Starts the next stage; the previous one, if any, counts as done.
    pub fn stage(&self, name: &'static str) {
        if !self.bar.message().is_empty() {
            self.bar.inc(1);
        }
        self.bar.set_message(name);
    }

    /// Removes the bar once the command is done (or failed), before it prints its answer.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A bar over the files of a client command; only shown for more than one file.
pub struct Files {
    bar: ProgressBar,
}

impl Files {
    /// A bar over `count` files.
    pub fn new(count: usize) -> Files {
        let bar = if count > 1 {
            bar(count as u64, "{bar:30} {pos}/{len} {msg}")
        } else {
            ProgressBar::hidden()
        };
        Files { bar }
    }

    /// Names the file being sent.
    pub fn sending(&self, file: &str) {
        self.bar.set_message(file.to_owned());
    }

    /// Prints a line above the bar (the bar is redrawn below it), and counts a file done.
    pub fn done(&self, line: impl FnOnce()) {
        self.bar.suspend(line);
        self.bar.inc(1);
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

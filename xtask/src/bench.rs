//! `cargo xtask bench`: runs every bench target of the packages listed below (divan prints its own
//! tables); benches are never part of the tests or of `cargo xtask ci`.

use std::path::Path;
use std::time::Instant;

use crate::command::Cmd;

/// One `cargo bench` invocation. Later crates add their benches here.
struct BenchStep {
    /// The package that owns the benches.
    package: &'static str,
    /// The package directory, relative to the workspace root; a missing one is skipped.
    dir: &'static str,
}

/// Every bench step, run in order.
const BENCHES: &[BenchStep] = &[
    BenchStep {
        package: "posbridge-domain",
        dir: "crates/domain",
    },
    BenchStep {
        package: "posbridge-protocol",
        dir: "crates/protocol",
    },
    BenchStep {
        package: "posbridge-store",
        dir: "crates/store",
    },
    BenchStep {
        package: "posbridge-server",
        dir: "crates/server",
    },
];

/// Runs every bench step whose package exists, stopping at the first failure.
pub fn run(root: &Path) -> Result<(), String> {
    for bench in BENCHES {
        if !root.join(bench.dir).join("Cargo.toml").is_file() {
            println!(
                "bench: skipping {}: {} does not exist",
                bench.package, bench.dir
            );
            continue;
        }
        // `--bench *` runs only the `benches/` targets, not the library's tests in bench mode.
        let cmd = Cmd::cargo(&["bench", "-p", bench.package, "--bench", "*"]);
        println!("\n==> bench {}: {cmd}", bench.package);
        let started = Instant::now();
        cmd.run(root)
            .map_err(|err| format!("bench {} failed: {err}", bench.package))?;
        println!(
            "<== bench {} done in {:.1}s",
            bench.package,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

//! The `vmspec` command over every scenario of this crate.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    harness::cli::main(scenarios::all(), std::env::args().collect())
}

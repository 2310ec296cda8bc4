//! The `factdrill` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    factdrill::run(std::env::args_os())
}

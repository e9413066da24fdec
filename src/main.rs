use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = sftkit::cli::Cli::parse();
    match sftkit::cli::run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

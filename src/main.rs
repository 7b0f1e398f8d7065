//! The `rungs` command line: parse arguments, call the library, map
//! errors to exit codes (0 ok, 1 build or content error, 2 usage).

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

// mimalloc: the pipeline makes and drops millions of small strings and
// JSON values; glibc's allocator spent about a quarter of a build's CPU
// on them (see BENCHMARKS.md). Built without transparent huge pages
// (`no_thp`), which doubled a small site's resident memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options for this run. `MIMALLOC_PURGE_DELAY` in the
/// environment still wins over the delay set here.
///
/// - A one-off build (`rebuilds` false) returns freed memory 10 ms after
///   it was freed, not mimalloc 3's 1 s: a build frees hundreds of MB at
///   the end of one stage (the recognised documents, the search postings)
///   just before the next allocates in other sizes, so at 10,000 pages
///   its peak was that much higher (see BENCHMARKS.md).
/// - `rungs serve` and `rungs watch` (`rebuilds` true), which rebuild on
///   every save: memory handed back is reset (`MADV_FREE`) rather than
///   decommitted (`MADV_DONTNEED`), and only 5 s after it was freed, so
///   that the next rebuild finds it still mapped. Decommitting what a
///   rebuild and its search index freed, and faulting it back in, took
///   about a third of a rebuild at 10,000 pages; resetting it a second
///   after it was freed, a fifth at 1,000. The kernel still reclaims
///   reset memory when it runs short; until then it counts as resident.
///   `serve` switches to this after its first build, which it makes as
///   a one-off build (that build holds every page at once, and freed
///   memory kept mapped raised its peak by a fifth).
fn tune_allocator(rebuilds: bool) {
    // `mi_option_purge_decommits` and `mi_option_purge_delay` in
    // mimalloc.h; libmimalloc-sys names only some of the options.
    const PURGE_DECOMMITS: libmimalloc_sys::mi_option_t = 5;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    let delay_ms = if rebuilds { 5000 } else { 10 };
    // SAFETY: sets plain integer options; mimalloc reads options
    // atomically and allows setting them at any time.
    unsafe {
        if rebuilds {
            libmimalloc_sys::mi_option_set(PURGE_DECOMMITS, 0);
        }
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, delay_ms);
        }
    }
}

#[derive(Parser)]
#[command(
    name = "rungs",
    version,
    about = "Build a cross-linked, searchable site from engineering career ladders",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder
    Build {
        /// Site root (with rungs.yml) or a plain folder of ladder files
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Output folder [default: PATH/public]
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Public URL of the site, for sitemap.xml and canonical links
        #[arg(long)]
        base_url: Option<String>,
        /// Print nothing but warnings and errors
        #[arg(long, short)]
        quiet: bool,
        /// Delete the output this build replaces (and any kept earlier)
        /// instead of keeping it as .<out>.rungs-previous for the next
        /// build to write over
        #[arg(long)]
        clean: bool,
    },
    /// Write a new handbook with one example of each ladder shape
    Init {
        /// Folder to create (must be empty or not exist)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Serve the site locally, rebuild on change and reload the browser
    Serve {
        /// Site root (with rungs.yml) or a plain folder of ladder files
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Port [default: 1111, or the next free one]; 0 picks any free port
        #[arg(long, short)]
        port: Option<u16>,
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Output folder [default: a temporary folder, removed on exit]
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Print nothing but the address, warnings and errors
        #[arg(long, short)]
        quiet: bool,
    },
    /// Build, then rebuild to disk on every change
    Watch {
        /// Site root (with rungs.yml) or a plain folder of ladder files
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Output folder [default: PATH/public]
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Print nothing but warnings and errors
        #[arg(long, short)]
        quiet: bool,
    },
    /// Export the recognised ladder model (tracks, levels, skills)
    Export {
        /// Site root (with rungs.yml) or a plain folder of ladder files
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write to this file instead of standard output
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Check content without writing output (not available yet)
    #[command(hide = true)]
    Check,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Json,
}

fn print_warnings(w: &[rungs::diagnostics::Diagnostic]) {
    for d in w {
        eprint!("{d}");
    }
}

fn parse_bind(s: &str) -> Option<std::net::IpAddr> {
    if s.eq_ignore_ascii_case("localhost") {
        return Some(std::net::Ipv4Addr::LOCALHOST.into());
    }
    s.trim_matches(['[', ']']).parse().ok()
}

fn finish(r: rungs::diagnostics::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{e}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    // `serve` makes its first build as `build` does (it holds every page
    // of it at once) and tunes for rebuilds once it serves.
    tune_allocator(matches!(cli.command, Command::Watch { .. }));
    match cli.command {
        Command::Build {
            path,
            out,
            base_url,
            quiet,
            clean,
        } => {
            let opts = rungs::BuildOptions {
                path,
                out,
                base_url,
            };
            rungs::output::defer_removals();
            rungs::output::keep_previous(!clean);
            match rungs::build(&opts) {
                Ok(report) => {
                    print_warnings(&report.warnings);
                    if !quiet {
                        println!(
                            "built {} pages and {} files into {} in {} ms{}",
                            report.pages,
                            report.assets,
                            rungs::diagnostics::display_path(&report.output),
                            report.elapsed.as_millis(),
                            match report.warnings.len() {
                                0 => String::new(),
                                1 => " (1 warning)".into(),
                                n => format!(" ({n} warnings)"),
                            }
                        );
                    }
                    rungs::output::wait_for_removals();
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprint!("{e}");
                    eprintln!("build failed; the previous output was left as it was");
                    ExitCode::from(1)
                }
            }
        }
        Command::Init { dir } => match rungs::init::init(&dir) {
            Ok(files) => {
                println!(
                    "wrote a new handbook ({} files) into {}; build it with `rungs build {}`",
                    files,
                    rungs::diagnostics::display_path(&dir),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprint!("{e}");
                ExitCode::from(1)
            }
        },
        Command::Export { path, format, out } => {
            let opts = rungs::ExportOptions {
                path,
                format: match format {
                    Format::Json => rungs::ExportFormat::Json,
                },
            };
            match rungs::export(&opts) {
                Ok(export) => {
                    print_warnings(&export.warnings);
                    let written = match &out {
                        Some(file) => std::fs::write(file, &export.text)
                            .map_err(|e| format!("could not write {}: {e}", file.display())),
                        None => {
                            use std::io::Write;
                            std::io::stdout()
                                .write_all(export.text.as_bytes())
                                .map_err(|e| format!("could not write the export: {e}"))
                        }
                    };
                    match written {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(e) => {
                            eprintln!("error: {e}");
                            ExitCode::from(1)
                        }
                    }
                }
                Err(e) => {
                    eprint!("{e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve {
            path,
            port,
            bind,
            open,
            out,
            quiet,
        } => {
            let bind = match parse_bind(&bind) {
                Some(b) => b,
                None => {
                    eprintln!(
                        "error: --bind {bind} is not an IP address (try 127.0.0.1 or 0.0.0.0)"
                    );
                    return ExitCode::from(2);
                }
            };
            let mut opts = rungs::serve::ServeOptions::new(rungs::BuildOptions {
                path,
                out,
                base_url: None,
            });
            opts.port = port;
            opts.bind = bind;
            opts.open = open;
            opts.quiet = quiet;
            finish(rungs::serve::stop_on_ctrlc(&opts.stop).and_then(|_| {
                rungs::serve::serve(&opts, |addr| {
                    tune_allocator(true);
                    println!("serving {} (Ctrl-C to stop)", rungs::serve::url_for(addr));
                })
            }))
        }
        Command::Watch { path, out, quiet } => {
            let opts = rungs::serve::WatchOptions {
                build: rungs::BuildOptions {
                    path,
                    out,
                    base_url: None,
                },
                quiet,
                stop: rungs::serve::StopSignal::new(),
            };
            finish(rungs::serve::stop_on_ctrlc(&opts.stop).and_then(|_| rungs::serve::watch(&opts)))
        }
        Command::Check => {
            eprintln!("error: this command is reserved and not available in this version of rungs");
            ExitCode::from(2)
        }
    }
}

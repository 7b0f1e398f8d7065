//! `rungs serve` and `rungs watch`: build once, then rebuild on every
//! change to the sources; `serve` also serves the output over HTTP and
//! tells open browsers to reload through Server-Sent Events.
//!
//! ```text
//! watch    notify → filter junk and output → debounce → one Change
//! http     request path → safe file inside the output → Reply
//! reload   Broadcaster → one writer thread per /__rungs/events stream
//! ```

pub mod http;
pub mod reload;
pub mod watch;

use crate::diagnostics::{display_path, Diagnostic, Error, Result};
use crate::{BuildOptions, BuildReport};
use reload::{Broadcaster, Event};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The port `serve` tries first.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the default `serve` tries when it is busy.
const PORT_TRIES: u16 = 50;
/// Threads answering page requests (event streams have their own).
const WORKERS: usize = 4;
/// Bodies larger than this are sent from a thread of their own.
const LARGE_BODY: usize = 256 * 1024;
/// How often an idle event stream is pinged, to notice dead clients.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often loops look at the stop signal.
const POLL: Duration = Duration::from_millis(200);

/// A flag that stops `serve` and `watch`, shared between threads.
#[derive(Clone, Default)]
pub struct StopSignal(Arc<(Mutex<bool>, Condvar)>);

impl StopSignal {
    pub fn new() -> StopSignal {
        StopSignal::default()
    }

    pub fn stop(&self) {
        *self.0 .0.lock().unwrap() = true;
        self.0 .1.notify_all();
    }

    pub fn is_stopped(&self) -> bool {
        *self.0 .0.lock().unwrap()
    }
}

/// Stop `stop` on Ctrl-C (SIGINT) and, on Unix, SIGTERM. Call once per
/// process.
pub fn stop_on_ctrlc(stop: &StopSignal) -> Result<()> {
    let s = stop.clone();
    ctrlc::set_handler(move || s.stop()).map_err(|e| {
        Error::new(Diagnostic::error(format!(
            "cannot install the Ctrl-C handler: {e}"
        )))
    })
}

/// Options for [`serve`].
#[derive(Clone)]
pub struct ServeOptions {
    /// What to build; `out: None` builds into a temporary folder that is
    /// removed on exit.
    pub build: BuildOptions,
    /// `None`: [`DEFAULT_PORT`], or the next free one. `Some(0)`: any free
    /// port. `Some(n)`: exactly `n`, an error when busy.
    pub port: Option<u16>,
    pub bind: IpAddr,
    /// Open the site in the default browser once serving.
    pub open: bool,
    /// Print only warnings and errors.
    pub quiet: bool,
    pub stop: StopSignal,
}

impl ServeOptions {
    pub fn new(build: BuildOptions) -> ServeOptions {
        ServeOptions {
            build,
            port: None,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            open: false,
            quiet: false,
            stop: StopSignal::new(),
        }
    }
}

/// Options for [`watch`].
#[derive(Clone)]
pub struct WatchOptions {
    pub build: BuildOptions,
    pub quiet: bool,
    pub stop: StopSignal,
}

/// The address to show for a listening socket (`0.0.0.0` shows as
/// `127.0.0.1`, which a browser can open).
pub fn url_for(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

fn listen(ip: IpAddr, port: Option<u16>) -> Result<TcpListener> {
    let fail = |p: u16, e: std::io::Error| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            "another program uses this port: pick another with --port, or --port 0 for any free port"
        } else {
            "check --bind: it must be an address of this machine, such as 127.0.0.1"
        };
        Error::new(
            Diagnostic::error(format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)))
                .hint(hint),
        )
    };
    match port {
        Some(p) => TcpListener::bind((ip, p)).map_err(|e| fail(p, e)),
        None => listen_from(ip, DEFAULT_PORT, PORT_TRIES).map_err(|(p, e)| fail(p, e)),
    }
}

/// The first free port of `start..start + tries`, else any free port.
fn listen_from(
    ip: IpAddr,
    start: u16,
    tries: u16,
) -> std::result::Result<TcpListener, (u16, std::io::Error)> {
    for p in start..start.saturating_add(tries) {
        match TcpListener::bind((ip, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err((p, e)),
        }
    }
    TcpListener::bind((ip, 0)).map_err(|e| (0, e))
}

/// Build and print the outcome: a summary line, or the diagnostics.
fn build_and_report(
    session: &mut crate::Session,
    opts: &BuildOptions,
    quiet: bool,
    change: Option<&watch::Change>,
) -> std::result::Result<(BuildReport, crate::Written), Error> {
    let first = change.is_none();
    let built = match change {
        Some(c) => session.build_after(opts, &c.paths),
        None => session.build(opts),
    };
    match built {
        Ok((r, w)) => {
            for w in &r.warnings {
                eprint!("{w}");
            }
            if !quiet {
                println!(
                    "{} {} pages and {} files into {} in {} ms ({} written, {} removed, {} unchanged)",
                    if first { "built" } else { "rebuilt" },
                    r.pages,
                    r.assets,
                    display_path(&r.output),
                    r.elapsed.as_millis(),
                    w.written,
                    w.removed,
                    w.unchanged
                );
            }
            Ok((r, w))
        }
        Err(e) => {
            eprint!("{e}");
            eprintln!("build failed; the previous output was left as it was");
            Err(e)
        }
    }
}

/// The folder to watch, from the site layout, or the bare root when the
/// layout itself does not resolve (a broken `rungs.yml`).
fn watch_plan(opts: &BuildOptions) -> watch::WatchPlan {
    match crate::config::SiteLayout::resolve(&opts.path, opts.out.as_deref()) {
        Ok(layout) => watch::WatchPlan::new(&layout),
        Err(_) => {
            let root = crate::config::absolute(&opts.path);
            watch::WatchPlan {
                recursive: vec![root.clone()],
                output: crate::config::absolute(
                    &opts.out.clone().unwrap_or_else(|| root.join("public")),
                ),
                root,
                config_name: crate::config::CONFIG_FILE.to_string(),
            }
        }
    }
}

/// Rebuild on every change until `stop`; `on_build` hears each outcome,
/// and whether another change came while it was built (then the next
/// build follows at once).
fn rebuild_loop(
    mut session: crate::Session,
    mut watcher: watch::SourceWatcher,
    opts: &BuildOptions,
    quiet: bool,
    stop: &StopSignal,
    mut on_build: impl FnMut(
        &watch::Change,
        std::result::Result<(&BuildReport, crate::Written), &Error>,
        bool,
    ),
) -> Result<()> {
    let mut untold_since = None;
    while !stop.is_stopped() {
        let Some(change) = watcher.next_change(POLL) else {
            continue;
        };
        if stop.is_stopped() {
            break;
        }
        if !quiet {
            let names: Vec<String> = change
                .paths
                .iter()
                .take(3)
                .map(|p| display_path(p))
                .collect();
            let more = change.paths.len().saturating_sub(3);
            println!(
                "changed: {}{}",
                names.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
        if change.touches_config(watcher.plan()) {
            // rungs.yml may have moved the content or output folder.
            let plan = watch_plan(opts);
            if &plan != watcher.plan() {
                match watch::SourceWatcher::start(plan) {
                    Ok(w) => watcher = w,
                    Err(e) => eprint!("{e}"),
                }
            }
        }
        let outcome = build_and_report(&mut session, opts, quiet, Some(&change));
        // Browsers hear of a burst that goes on after its next build, but
        // of a continuous stream of changes at least every MAX_WAIT.
        let since = *untold_since.get_or_insert_with(std::time::Instant::now);
        let more = watcher.pending() && since.elapsed() < watch::MAX_WAIT;
        if !more {
            untold_since = None;
        }
        match outcome {
            Ok((r, w)) => on_build(&change, Ok((&r, w)), more),
            Err(e) => on_build(&change, Err(&e), more),
        }
    }
    Ok(())
}

/// A missing or unreadable site folder is an error up front; anything
/// else wrong is a build error, reported and then watched until fixed.
fn check_site(opts: &BuildOptions) -> Result<()> {
    if opts.path.is_dir() {
        return Ok(());
    }
    crate::config::SiteLayout::resolve(&opts.path, opts.out.as_deref()).map(|_| ())
}

/// `rungs watch`: build, then rebuild to disk on every change, until
/// `opts.stop`. A failed build is reported and leaves the output as it was.
pub fn watch(opts: &WatchOptions) -> Result<()> {
    check_site(&opts.build)?;
    let watcher = watch::SourceWatcher::start(watch_plan(&opts.build))?;
    let mut session = crate::Session::new();
    let _ = build_and_report(&mut session, &opts.build, opts.quiet, None);
    if !opts.quiet {
        println!(
            "watching {} for changes (Ctrl-C to stop)",
            display_path(&opts.build.path)
        );
    }
    rebuild_loop(
        session,
        watcher,
        &opts.build,
        opts.quiet,
        &opts.stop,
        |_, _, _| {},
    )
}

/// A temporary output folder, removed when dropped.
struct TempOut(PathBuf);

impl Drop for TempOut {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `rungs serve`: build, serve the output, rebuild on change and tell
/// browsers, until `opts.stop`. `ready` hears the bound address once the
/// server accepts requests.
pub fn serve(opts: &ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    check_site(&opts.build)?;
    let mut build = opts.build.clone();
    let _temp = match &build.out {
        Some(_) => None,
        None => {
            sweep_stale_temp_outputs(&std::env::temp_dir());
            // Unique per call, so that servers in one process never share.
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("rungs-serve-{}-{n}", std::process::id()));
            build.out = Some(dir.join("public"));
            Some(TempOut(dir))
        }
    };
    let out = crate::config::absolute(build.out.as_deref().unwrap());
    let listener = listen(opts.bind, opts.port)?;
    let addr = listener.local_addr().map_err(|e| {
        Error::new(Diagnostic::error(format!(
            "cannot read the listening address: {e}"
        )))
    })?;
    if opts.bind.is_unspecified() {
        eprintln!(
            "warning: serving on every network interface ({}); anyone on your network can read the site",
            opts.bind
        );
    }

    let watcher = watch::SourceWatcher::start(watch_plan(&build))?;
    let hub = Arc::new(Broadcaster::default());
    let mut session = crate::Session::new();
    if let Err(e) = build_and_report(&mut session, &build, opts.quiet, None) {
        hub.send(Event::Error(e.to_string()));
    }

    let server = tiny_http::Server::from_listener(listener, None).map_err(|e| {
        Error::new(Diagnostic::error(format!(
            "cannot start the HTTP server: {e}"
        )))
    })?;
    let server = Arc::new(server);
    let loopback = opts.bind.is_loopback();
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let hub = Arc::clone(&hub);
            let out = out.clone();
            let stop = opts.stop.clone();
            std::thread::spawn(move || {
                while !stop.is_stopped() {
                    if let Ok(Some(req)) = server.recv_timeout(POLL) {
                        handle(req, &out, &hub, loopback);
                    }
                }
            })
        })
        .collect();

    ready(addr);
    if opts.open {
        open_browser(&url_for(addr));
    }

    // Whether browsers show an error; what the builds not yet told
    // (those followed at once by another) changed, and whether only
    // stylesheets.
    let mut failed = hub.last_error().is_some();
    let mut untold = false;
    let mut css_only = true;
    let result = rebuild_loop(
        session,
        watcher,
        &build,
        opts.quiet,
        &opts.stop,
        |change, outcome, more| {
            css_only &= change.css_only();
            if let Ok((_, w)) = &outcome {
                untold |= w.written > 0 || w.removed > 0;
            }
            // A burst that went on while it was built: tell browsers once,
            // after the build that follows.
            if more {
                return;
            }
            match outcome {
                // The tail of a burst that changed nothing more: nothing
                // to reload (after an error, the reload clears the overlay).
                Ok(_) if !untold && !failed => {}
                Ok(_) if css_only && !failed => hub.send(Event::Css),
                Ok(_) => hub.send(Event::Reload),
                Err(e) => hub.send(Event::Error(e.to_string())),
            }
            failed = outcome.is_err();
            untold = false;
            css_only = true;
        },
    );
    opts.stop.stop();
    for w in workers {
        let _ = w.join();
    }
    result
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Answer one request. Event streams move to a thread of their own.
fn handle(req: tiny_http::Request, out: &Path, hub: &Broadcaster, loopback: bool) {
    use tiny_http::{Method, Response};
    // Bound to loopback, answer only loopback names: a page on another
    // site cannot reach this server through DNS rebinding.
    if loopback {
        let host = req
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_string());
        if host.is_some_and(|h| !is_loopback_host(&h)) {
            let r = Response::from_string("403 this server answers only to localhost names\n")
                .with_status_code(403);
            let _ = req.respond(r);
            return;
        }
    }
    let head = *req.method() == Method::Head;
    if !head && *req.method() != Method::Get {
        let r = Response::from_string("405 method not allowed\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        let _ = req.respond(r);
        return;
    }
    let url = req.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == reload::EVENTS_PATH && !head {
        let rx = hub.subscribe();
        let w = req.into_writer();
        std::thread::spawn(move || reload::stream(w, rx, HEARTBEAT));
        return;
    }
    let inm = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("If-None-Match"))
        .map(|h| h.value.as_str().to_string());
    let reply = if path == reload::SCRIPT_PATH {
        let body = reload::SCRIPT.as_bytes().to_vec();
        let etag = http::etag(&body);
        if inm.as_deref().is_some_and(|h| http::etag_matches(h, &etag)) {
            http::Reply::NotModified { etag }
        } else {
            http::Reply::File {
                status: 200,
                content_type: "text/javascript; charset=utf-8",
                body,
                etag,
            }
        }
    } else {
        // While a rebuild swaps the new output in, the folder is briefly
        // missing: wait a moment rather than answer 404.
        for _ in 0..10 {
            if out.is_dir() || hub.last_error().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        http::resolve(out, &url, inm.as_deref())
    };
    // A big body to a slow reader could hold a worker for long: send it
    // from a thread of its own.
    if matches!(&reply, http::Reply::File { body, .. } if body.len() > LARGE_BODY) {
        std::thread::spawn(move || send(req, reply));
    } else {
        send(req, reply);
    }
}

/// Write `reply`; a client that hung up mid-response is not our problem.
fn send(req: tiny_http::Request, reply: http::Reply) {
    use tiny_http::Response;
    let no_cache = header("Cache-Control", "no-cache");
    let result = match reply {
        http::Reply::File {
            status,
            content_type,
            body,
            etag,
        } => req.respond(
            Response::from_data(body)
                .with_status_code(status)
                .with_header(header("Content-Type", content_type))
                .with_header(header("ETag", &etag))
                .with_header(header("X-Content-Type-Options", "nosniff"))
                .with_header(no_cache),
        ),
        http::Reply::NotModified { etag } => req.respond(
            Response::empty(304)
                .with_header(header("ETag", &etag))
                .with_header(no_cache),
        ),
        http::Reply::Redirect(to) => req.respond(
            Response::from_string(format!("moved to {to}\n"))
                .with_status_code(301)
                .with_header(header("Location", &to)),
        ),
        http::Reply::Status(code, text) => req.respond(
            Response::from_string(text)
                .with_status_code(code)
                .with_header(header("Content-Type", "text/plain; charset=utf-8")),
        ),
    };
    let _ = result;
}

/// Whether a `Host` header names this machine's loopback: `localhost`
/// (and `*.localhost`), `127.x.x.x` or `[::1]`, with any port.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, _)) => ip,
            None => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Remove `rungs-serve-PID-N` folders in `tmp` left by servers that were
/// killed (their process is gone). Best effort; Linux only, where a
/// process's liveness is visible in `/proc`.
fn sweep_stale_temp_outputs(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    let me = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix("rungs-serve-")) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != me && !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Best effort: open `url` in the default browser.
fn open_browser(url: &str) {
    let cmd: (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(cmd.0)
        .args(&cmd.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("note: could not open a browser; visit {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_port_moves_on_to_the_next_free_one() {
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let taken = TcpListener::bind((ip, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let l = listen_from(ip, port, 20).unwrap();
        assert_ne!(l.local_addr().unwrap().port(), port);
        let err = listen(ip, Some(port)).unwrap_err().to_string();
        assert!(
            err.contains(&port.to_string()) && err.contains("--port"),
            "{err}"
        );
    }

    #[test]
    fn only_loopback_host_names_pass() {
        for h in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.",
            "app.localhost:8080",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "10.0.0.1:1111",
            "0.0.0.0",
            "[::]:1111",
            "[::1",
            "",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn stale_temp_outputs_of_dead_servers_are_swept() {
        let tmp = tempfile::tempdir().unwrap();
        // PIDs above the kernel's maximum (4194304) are never alive.
        let dead = tmp.path().join("rungs-serve-4294967-0");
        let live = tmp
            .path()
            .join(format!("rungs-serve-{}-7", std::process::id()));
        let other = tmp.path().join("rungs-serve-notapid");
        for d in [&dead, &live, &other] {
            std::fs::create_dir_all(d.join("public")).unwrap();
        }
        sweep_stale_temp_outputs(tmp.path());
        assert!(!dead.exists() || !Path::new("/proc/self").exists());
        assert!(live.exists() && other.exists());
    }

    #[test]
    fn urls_for_unspecified_addresses_are_openable() {
        let a: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(url_for(a), "http://127.0.0.1:8080/");
        let b: SocketAddr = "[::]:80".parse().unwrap();
        assert_eq!(url_for(b), "http://[::1]:80/");
    }
}

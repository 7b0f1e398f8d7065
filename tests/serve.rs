//! `rungs serve` and `rungs watch` through the binary, over loopback only:
//! pages, live reload over SSE, broken edits, deletes, path traversal,
//! many open event streams, HEAD and ETags, busy ports, Ctrl-C.

mod common;
use common::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(8);

/// A running `rungs serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    _lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rungs"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run rungs");
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// `rungs serve --port 0 SITE`, built into SITE/public (so that the
/// killed server leaves nothing behind) unless `extra` has its own `--out`.
fn serve(site: &Path, extra: &[&str]) -> Server {
    let out = site.join("public");
    let mut args = vec!["serve", "--port", "0", site.to_str().unwrap()];
    if !extra.contains(&"--out") {
        args.extend_from_slice(&["--out", out.to_str().unwrap()]);
    }
    args.extend_from_slice(extra);
    serve_args(&args)
}

fn serve_args(args: &[&str]) -> Server {
    let (child, rx) = spawn(args);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("rungs serve printed its address");
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            let port = rest.split('/').next().unwrap().parse().unwrap();
            return Server {
                child,
                port,
                _lines: rx,
            };
        }
    }
}

struct Resp {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// One request on a fresh connection; `target` is sent as it is.
fn request(port: u16, method: &str, target: &str, headers: &[(&str, &str)]) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Resp {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(port: u16, target: &str) -> Resp {
    request(port, "GET", target, &[])
}

/// An open `/__rungs/events` stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        s.write_all(
            b"GET /__rungs/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
        )
        .unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        // Read until the server says it has registered this stream.
        loop {
            line.clear();
            assert!(r.read_line(&mut line).unwrap() > 0, "event stream closed");
            if line.starts_with(": connected") {
                break;
            }
        }
        Events(r)
    }

    /// The next event's name and data, within `wait`.
    fn next(&mut self, wait: Duration) -> Option<(String, String)> {
        self.0.get_ref().set_read_timeout(Some(wait)).unwrap();
        let (mut name, mut data) = (String::new(), String::new());
        let mut line = String::new();
        loop {
            line.clear();
            match self.0.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let l = line.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                if !name.is_empty() {
                    return Some((name, data));
                }
            } else if let Some(v) = l.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = l.strip_prefix("data: ") {
                data.push_str(v);
            }
        }
    }

    fn expect(&mut self, name: &str) -> String {
        let (n, d) = self
            .next(TIMEOUT)
            .unwrap_or_else(|| panic!("no `{name}` event"));
        assert_eq!(n, name, "data: {d}");
        d
    }
}

fn small_site() -> tempfile::TempDir {
    site(&[
        ("rungs.yml", "title: Serve Test\n# TOPSECRET-CONFIG\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHello home\n"),
        (
            "content/alpha.md",
            "---\ntitle: Alpha\n---\nAlpha text one\n",
        ),
        ("content/extra.css", "body { color: red }\n"),
        ("secret.txt", "TOPSECRET-FILE\n"),
    ])
}

fn write(p: PathBuf, text: &str) {
    std::fs::write(p, text).unwrap();
}

#[test]
fn pages_reload_broken_edits_and_deletes() {
    let site = small_site();
    let c = site.path().join("content");
    let srv = serve(site.path(), &[]);
    let p = srv.port;

    let home = get(p, "/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Hello home"));
    assert!(
        home.text().contains("/__rungs/reload.js"),
        "script injected"
    );
    assert!(get(p, "/__rungs/reload.js").text().contains("EventSource"));
    let r = get(p, "/alpha?x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location").as_deref(), Some("/alpha/?x=1"));
    assert!(get(p, "/alpha/").text().contains("Alpha text one"));

    let mut ev = Events::open(p);
    // Editor junk alone never rebuilds.
    write(c.join(".alpha.md.swp"), "junk");
    write(c.join("alpha.md~"), "junk");
    assert!(
        ev.next(Duration::from_millis(400)).is_none(),
        "junk rebuilt"
    );

    // A burst of saves is one rebuild.
    let burst = std::time::Instant::now();
    for i in 0..5 {
        write(
            c.join("alpha.md"),
            &format!("---\ntitle: Alpha\n---\nAlpha text v{i}\n"),
        );
    }
    let burst = burst.elapsed();
    ev.expect("reload");
    assert!(get(p, "/alpha/").text().contains("Alpha text v4"));
    let again = ev.next(Duration::from_millis(300));
    // Only a burst written within the 20 ms browsers wait for quiet is
    // one reload; on a machine so loaded that the five writes took longer,
    // they may fairly be two.
    if burst < Duration::from_millis(15) {
        assert!(again.is_none(), "one rebuild per burst ({burst:?})");
    } else if again.is_some() {
        eprintln!("note: the burst took {burst:?}; a second reload is allowed");
    }

    // A broken edit keeps the last good page and reports the file.
    write(c.join("alpha.md"), "---\ntitle: [x\n---\nBroken\n");
    let data = ev.expect("error");
    assert!(data.contains("alpha.md"), "{data}");
    let page = get(p, "/alpha/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Alpha text v4"));
    // A browser that connects now sees the error straight away.
    let mut late = Events::open(p);
    assert!(late.expect("error").contains("alpha.md"));

    write(c.join("alpha.md"), "---\ntitle: Alpha\n---\nAlpha fixed\n");
    ev.expect("reload");
    late.expect("reload");
    assert!(get(p, "/alpha/").text().contains("Alpha fixed"));

    // A stylesheet-only change swaps stylesheets.
    write(c.join("extra.css"), "body { color: blue }\n");
    ev.expect("css");
    assert!(get(p, "/extra.css").text().contains("blue"));

    // A deleted page is gone, with the site's own 404 page.
    std::fs::remove_file(c.join("alpha.md")).unwrap();
    ev.expect("reload");
    let gone = get(p, "/alpha/");
    assert_eq!(gone.status, 404);
    assert!(gone.text().contains("/__rungs/reload.js"));
}

#[test]
fn editor_save_patterns_rebuild_once() {
    let site = small_site();
    let c = site.path().join("content");
    let srv = serve(site.path(), &[]);
    let mut ev = Events::open(srv.port);
    // vim: probe file, move the original to a backup, write anew.
    write(c.join("4913"), "");
    std::fs::remove_file(c.join("4913")).unwrap();
    std::fs::rename(c.join("alpha.md"), c.join("alpha.md~")).unwrap();
    write(c.join("alpha.md"), "---\ntitle: Alpha\n---\nSaved by vim\n");
    std::fs::remove_file(c.join("alpha.md~")).unwrap();
    ev.expect("reload");
    assert!(ev.next(Duration::from_millis(300)).is_none());
    assert!(get(srv.port, "/alpha/").text().contains("Saved by vim"));
    // Atomic save: write a hidden temp file, rename it over the page.
    write(
        c.join(".alpha.md.tmp1"),
        "---\ntitle: Alpha\n---\nSaved atomically\n",
    );
    std::fs::rename(c.join(".alpha.md.tmp1"), c.join("alpha.md")).unwrap();
    ev.expect("reload");
    assert!(get(srv.port, "/alpha/").text().contains("Saved atomically"));
    // A renamed page moves: the old address is gone, the new one is there.
    std::fs::rename(c.join("alpha.md"), c.join("beta.md")).unwrap();
    ev.expect("reload");
    assert_eq!(get(srv.port, "/alpha/").status, 404);
    assert!(get(srv.port, "/beta/").text().contains("Saved atomically"));
}

#[test]
fn config_changes_rebuild() {
    let site = small_site();
    let srv = serve(site.path(), &[]);
    let mut ev = Events::open(srv.port);
    write(site.path().join("rungs.yml"), "title: Renamed Site\n");
    ev.expect("reload");
    assert!(get(srv.port, "/").text().contains("Renamed Site"));
    // An unrelated file at the site root does not rebuild.
    write(site.path().join("notes.txt"), "x");
    assert!(ev.next(Duration::from_millis(300)).is_none());
}

#[test]
fn theme_stylesheet_changes_swap_css() {
    let site = small_site();
    let css = site.path().join("themes/default/static/style.css");
    std::fs::create_dir_all(css.parent().unwrap()).unwrap();
    write(css.clone(), "body { color: #111 }\n");
    let srv = serve(site.path(), &[]);
    let mut ev = Events::open(srv.port);
    write(css, "body { color: #222 }\n");
    ev.expect("css");
    let home = get(srv.port, "/").text();
    let href = home
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a stylesheet link")
        .replace("&#x2F;", "/");
    assert!(get(srv.port, &format!("/{href}")).text().contains("#222"));
}

#[test]
fn the_library_serves_in_process_and_stops() {
    let site = small_site();
    let mut opts = rungs::serve::ServeOptions::new(rungs::BuildOptions {
        path: site.path().to_path_buf(),
        out: None,
        base_url: None,
    });
    opts.port = Some(0);
    opts.quiet = true;
    let stop = opts.stop.clone();
    let (tx, rx) = mpsc::channel();
    let t = std::thread::spawn(move || rungs::serve::serve(&opts, move |a| tx.send(a).unwrap()));
    let addr = rx.recv_timeout(TIMEOUT).unwrap();
    assert!(addr.ip().is_loopback());
    assert!(get(addr.port(), "/").text().contains("Hello home"));
    stop.stop();
    assert!(t.join().unwrap().is_ok());
    // The temporary output is gone; the site folder has no output in it.
    assert!(!site.path().join("public").exists());
}

#[test]
fn traversal_never_leaves_the_output() {
    let site = small_site();
    let out = site.path().join("public");
    let srv = serve(site.path(), &["--out", out.to_str().unwrap()]);
    for t in [
        "/../Cargo.toml",
        "/../rungs.yml",
        "/../secret.txt",
        "/%2e%2e/rungs.yml",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Frungs.yml",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/%00",
        "/index.html%00.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%c0%ae%c0%ae%c0%afsecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/alpha/../../secret.txt",
        "//../secret.txt",
        "/./../secret.txt",
        "/%252e%252e/secret.txt",
    ] {
        for method in ["GET", "HEAD"] {
            let r = request(srv.port, method, t, &[]);
            assert!(
                r.status == 400 || r.status == 404,
                "{method} {t}: {}",
                r.status
            );
            let text = r.text();
            assert!(!text.contains("TOPSECRET"), "{t} leaked: {text}");
            assert!(!text.contains("[package]"), "{t} leaked Cargo.toml");
        }
    }
    assert_eq!(get(srv.port, "/").status, 200);
}

#[test]
fn fifty_event_streams_do_not_block_a_thousand_pages() {
    let site = small_site();
    let srv = serve(site.path(), &[]);
    let p = srv.port;
    let streams: Vec<Events> = (0..50).map(|_| Events::open(p)).collect();
    let start = Instant::now();
    let workers: Vec<_> = (0..4)
        .map(|w| {
            std::thread::spawn(move || {
                for i in 0..250 {
                    let target = ["/", "/alpha/", "/extra.css", "/sitemap.xml"][(i + w) % 4];
                    let r = get(p, target);
                    assert_eq!(r.status, 200, "{target}");
                    assert!(!r.body.is_empty());
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    // Clients vanishing abruptly do not stop the server.
    drop(streams);
    let _half_request = TcpStream::connect(("127.0.0.1", p))
        .unwrap()
        .write_all(b"GET /alp");
    assert_eq!(get(p, "/").status, 200);
}

#[test]
fn slow_readers_of_big_files_do_not_block_pages() {
    let site = small_site();
    std::fs::write(site.path().join("content/big.pdf"), vec![b'%'; 6 << 20]).unwrap();
    let srv = serve(site.path(), &[]);
    let p = srv.port;
    // More stalled downloads than there are workers; none of them reads.
    let stalled: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", p)).unwrap();
            s.write_all(b"GET /big.pdf HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let start = Instant::now();
    for _ in 0..20 {
        assert_eq!(get(p, "/alpha/").status, 200);
    }
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    let head = request(p, "HEAD", "/big.pdf", &[]);
    assert_eq!(
        head.header("content-type").as_deref(),
        Some("application/pdf")
    );
    drop(stalled);
    assert_eq!(get(p, "/").status, 200);
}

#[test]
fn head_etags_and_content_types() {
    let site = small_site();
    let srv = serve(site.path(), &[]);
    let p = srv.port;
    let full = get(p, "/alpha/");
    let head = request(p, "HEAD", "/alpha/", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(full.body.len().to_string())
    );
    let etag = full.header("etag").expect("an ETag");
    assert_eq!(head.header("etag").as_deref(), Some(etag.as_str()));
    let again = request(p, "GET", "/alpha/", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = request(p, "GET", "/alpha/", &[("If-None-Match", "\"other\"")]);
    assert_eq!(other.status, 200);
    for (t, ty) in [
        ("/", "text/html"),
        ("/extra.css", "text/css"),
        ("/sitemap.xml", "application/xml"),
        ("/__rungs/reload.js", "text/javascript"),
    ] {
        let ct = get(p, t).header("content-type").unwrap();
        assert!(ct.starts_with(ty), "{t}: {ct}");
    }
    assert_eq!(request(p, "POST", "/", &[]).status, 405);
}

#[test]
fn an_explicit_busy_port_is_an_error() {
    let site = small_site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = rungs(
        &["serve", "--port", &port, site.path().to_str().unwrap()],
        site.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(&port), "{}", stderr(&o));
}

#[test]
fn watch_rebuilds_to_disk() {
    let site = small_site();
    let out = site.path().join("out");
    let (child, _rx) = spawn(&[
        "watch",
        site.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let mut guard = Server {
        child,
        port: 0,
        _lines: _rx,
    };
    let page = out.join("alpha/index.html");
    let wait_for = |text: &str| {
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            if std::fs::read_to_string(&page).is_ok_and(|t| t.contains(text)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("{text} never reached {}", page.display());
    };
    wait_for("Alpha text one");
    // Give the watcher a moment to be sure the first build is done.
    std::thread::sleep(Duration::from_millis(100));
    write(
        site.path().join("content/alpha.md"),
        "---\ntitle: Alpha\n---\nAlpha watched\n",
    );
    wait_for("Alpha watched");
    // The built files on disk never carry the reload script.
    assert!(!std::fs::read_to_string(&page).unwrap().contains("__rungs"));
    #[cfg(unix)]
    interrupt_and_wait(&mut guard.child);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let site = small_site();
    // The default output: a temporary folder, removed on a clean stop.
    let mut srv = serve_args(&["serve", "--port", "0", site.path().to_str().unwrap()]);
    let temp = std::env::temp_dir().join(format!("rungs-serve-{}-0", srv.child.id()));
    assert!(temp.join("public/index.html").is_file());
    let _ev = Events::open(srv.port);
    interrupt_and_wait(&mut srv.child);
    assert!(!temp.exists(), "{} left behind", temp.display());
}

#[cfg(unix)]
fn interrupt_and_wait(child: &mut Child) {
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            return;
        }
        assert!(Instant::now() < deadline, "did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Read one keep-alive response (head and a `Content-Length` body);
/// returns the status and whether the server will close the connection.
fn read_response(r: &mut BufReader<TcpStream>) -> std::io::Result<(u16, bool)> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (mut len, mut close, mut chunked) = (0usize, false, false);
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            match k.as_str() {
                "content-length" => len = v.parse().unwrap_or(0),
                "connection" => close = v.eq_ignore_ascii_case("close"),
                "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
                _ => {}
            }
        }
    }
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16)
                .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidData))?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
        }
    } else {
        let mut body = vec![0; len];
        r.read_exact(&mut body)?;
    }
    Ok((status, close))
}

fn keep_alive_connection(port: u16) -> BufReader<TcpStream> {
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.set_nodelay(true).unwrap();
    BufReader::new(s)
}

/// A bounded loopback load: 20,000 requests over 64 keep-alive
/// connections, every one answered 200, in well under the time limit.
///
/// The connections are opened one after another, each answered once,
/// before the load starts: tiny_http 0.12's connection pool can queue a
/// connection accepted in the same instant as another behind busy
/// keep-alive threads (its `TaskPool::spawn` counts a waiting thread
/// twice), and that connection then waits until another one closes.
#[test]
fn twenty_thousand_requests_over_64_connections() {
    const CONNECTIONS: usize = 64;
    const REQUESTS: usize = 20_000;
    const TARGETS: [&str; 4] = ["/", "/alpha/", "/extra.css", "/sitemap.xml"];
    let site = small_site();
    let srv = serve(site.path(), &["--quiet"]);
    let p = srv.port;
    let start = Instant::now();
    let ask = |r: &mut BufReader<TcpStream>, target: &str| {
        let req = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        r.get_mut()
            .write_all(req.as_bytes())
            .and_then(|_| read_response(r))
    };
    let conns: Vec<BufReader<TcpStream>> = (0..CONNECTIONS)
        .map(|_| {
            let mut r = keep_alive_connection(p);
            assert_eq!(ask(&mut r, "/").unwrap(), (200, false));
            r
        })
        .collect();
    let workers: Vec<_> = conns
        .into_iter()
        .enumerate()
        .map(|(w, first)| {
            std::thread::spawn(move || {
                let (mut errors, mut reconnects) = (0usize, 0usize);
                let mut conn = Some(first);
                let n = REQUESTS / CONNECTIONS - 1 + usize::from(w < REQUESTS % CONNECTIONS);
                for i in 0..n {
                    let target = TARGETS[(i + w) % 4];
                    let r = conn.get_or_insert_with(|| {
                        reconnects += 1;
                        keep_alive_connection(p)
                    });
                    match ask(r, target) {
                        Ok((200, close)) => {
                            if close {
                                conn = None;
                            }
                        }
                        Ok((status, _)) => {
                            eprintln!("{target}: {status}");
                            errors += 1;
                            conn = None;
                        }
                        Err(e) => {
                            eprintln!("{target}: {e}");
                            errors += 1;
                            conn = None;
                        }
                    }
                }
                (errors, reconnects)
            })
        })
        .collect();
    let (mut errors, mut reconnects) = (0, 0);
    for w in workers {
        let (e, c) = w.join().unwrap();
        errors += e;
        reconnects += c;
    }
    let took = start.elapsed();
    println!(
        "{REQUESTS} requests over {CONNECTIONS} keep-alive connections ({reconnects} reconnects) in {took:?}"
    );
    assert_eq!(errors, 0);
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn foreign_host_names_are_refused_on_loopback() {
    let site = small_site();
    let srv = serve(site.path(), &[]);
    let ask = |host: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        raw.split(' ').nth(1).unwrap().to_string()
    };
    assert_eq!(ask("evil.example"), "403");
    assert_eq!(ask(&format!("evil.example:{}", srv.port)), "403");
    assert_eq!(ask(&format!("localhost:{}", srv.port)), "200");
    assert_eq!(ask(&format!("127.0.0.1:{}", srv.port)), "200");
    assert_eq!(ask("[::1]"), "200");
}

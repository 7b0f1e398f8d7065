//! Live reload: a broadcaster of Server-Sent Events to every open
//! `/__rungs/events` stream, and the client script that listens to it.

use std::io::Write;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// The path of the event stream.
pub const EVENTS_PATH: &str = "/__rungs/events";
/// The path of the client script.
pub const SCRIPT_PATH: &str = "/__rungs/reload.js";

/// One message to the browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A good build: reload the page (and clear any error overlay).
    Reload,
    /// A good build that changed only stylesheets: swap them in place.
    Css,
    /// A failed build: show the diagnostics in an overlay.
    Error(String),
}

impl Event {
    /// The event in SSE wire format.
    pub fn wire(&self) -> String {
        match self {
            Event::Reload => "event: reload\ndata: {}\n\n".into(),
            Event::Css => "event: css\ndata: {}\n\n".into(),
            Event::Error(text) => format!(
                "event: error\ndata: {}\n\n",
                serde_json::json!({ "text": text })
            ),
        }
    }
}

/// Every connected browser, each with its own writer thread, so that a
/// slow or vanished client never holds up the others or the page workers.
#[derive(Default)]
pub struct Broadcaster {
    clients: Mutex<Vec<Sender<Event>>>,
    /// The diagnostics of the last build when it failed.
    last_error: Mutex<Option<String>>,
}

impl Broadcaster {
    /// Send `e` to every client, forgetting those that went away.
    pub fn send(&self, e: Event) {
        *self.last_error.lock().unwrap() = match &e {
            Event::Error(t) => Some(t.clone()),
            _ => None,
        };
        self.clients
            .lock()
            .unwrap()
            .retain(|c| c.send(e.clone()).is_ok());
    }

    /// How many streams are open (clients that vanished are counted until
    /// the next event or heartbeat finds out).
    pub fn len(&self) -> usize {
        self.clients.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The diagnostics of the last build, when it failed.
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().unwrap().clone()
    }

    /// Register a new stream; it starts with the current error, if any.
    pub fn subscribe(&self) -> Receiver<Event> {
        let (tx, rx) = channel();
        if let Some(t) = self.last_error.lock().unwrap().clone() {
            let _ = tx.send(Event::Error(t));
        }
        self.clients.lock().unwrap().push(tx);
        rx
    }
}

/// Write the SSE response on a raw connection until the client goes away
/// or the broadcaster is dropped. Sends a comment every `heartbeat` so a
/// dead connection is noticed.
pub fn stream(mut w: Box<dyn Write + Send>, rx: Receiver<Event>, heartbeat: Duration) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
                Connection: close\r\nX-Accel-Buffering: no\r\n\r\nretry: 500\n: connected\n\n";
    if w.write_all(head.as_bytes())
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let msg = match rx.recv_timeout(heartbeat) {
            Ok(e) => e.wire(),
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".into(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
}

/// The client: reload on `reload` (keeping the scroll position), swap
/// stylesheets on `css`, show an overlay on `error`.
pub const SCRIPT: &str = r#"(function () {
  "use strict";
  if (window.__rungsReload) return;
  window.__rungsReload = true;
  var KEY = "rungs-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(KEY);
    if (saved !== null) {
      sessionStorage.removeItem(KEY);
      var y = parseFloat(saved) || 0;
      var restore = function () { window.scrollTo(0, y); };
      if (document.readyState === "complete") restore();
      else window.addEventListener("load", restore);
    }
  } catch (e) {}
  function reload() {
    try { sessionStorage.setItem(KEY, String(window.scrollY)); } catch (e) {}
    location.reload();
  }
  var box = null;
  function showError(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "rungs-error-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;" +
        "overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#2b0d0d;" +
        "color:#ffe9e9;border:2px solid #ff6b6b;border-radius:6px;font:13px/1.45 ui-monospace," +
        "SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;box-shadow:0 4px 24px rgba(0,0,0,.4)";
      (document.body || document.documentElement).appendChild(box);
    }
    box.textContent = "rungs: the last edit did not build; still showing the previous version.\n\n" + text;
  }
  function clearError() {
    if (box) { box.remove(); box = null; }
  }
  function swapCss() {
    fetch(location.href, { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (t) {
      var fresh = new DOMParser().parseFromString(t, "text/html").querySelectorAll('link[rel~="stylesheet"]');
      var old = document.querySelectorAll('link[rel~="stylesheet"]');
      if (fresh.length !== old.length) { reload(); return; }
      var stamp = String(Date.now());
      for (var i = 0; i < old.length; i++) {
        var u = new URL(fresh[i].getAttribute("href"), location.href);
        u.searchParams.set("rungs", stamp);
        old[i].href = u.href;
      }
      clearError();
    }).catch(reload);
  }
  var es = new EventSource("/__rungs/events");
  es.addEventListener("reload", reload);
  es.addEventListener("css", swapCss);
  es.addEventListener("error", function (e) {
    if (typeof e.data !== "string") return; // a connection error, not ours
    try { showError(JSON.parse(e.data).text); } catch (x) { showError(e.data); }
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_format_is_one_data_line() {
        let w = Event::Error("a.md:1:2\nbad".into()).wire();
        assert!(w.starts_with("event: error\ndata: {"));
        assert_eq!(w.matches('\n').count(), 3);
        assert!(w.contains("a.md:1:2\\nbad"));
    }

    #[test]
    fn late_subscribers_get_the_current_error() {
        let b = Broadcaster::default();
        b.send(Event::Error("x".into()));
        let rx = b.subscribe();
        assert_eq!(rx.try_recv().unwrap(), Event::Error("x".into()));
        b.send(Event::Reload);
        assert_eq!(rx.try_recv().unwrap(), Event::Reload);
        let live = b.subscribe();
        assert!(live.try_recv().is_err());
        drop(rx);
        b.send(Event::Css);
        assert_eq!(b.len(), 1);
        assert_eq!(live.try_recv().unwrap(), Event::Css);
    }
}

/* rungs default theme script: progressive enhancement only; every page works without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A copy-link button beside every expectation's permalink (made here:
  // without the script it could not copy anything). A theme may also write
  // the buttons itself (`button.copy-link` with `data-anchor`).
  document.querySelectorAll(".expectation-tools a.permalink[href^='#']").forEach(function (a) {
    if (a.parentNode.querySelector("button.copy-link")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-link";
    b.textContent = "Copy link";
    b.setAttribute("data-anchor", a.getAttribute("href").slice(1));
    a.parentNode.appendChild(b);
  });
  document.querySelectorAll("button.copy-link").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var url = location.href.split("#")[0] + "#" + b.getAttribute("data-anchor");
      var done = function () { b.textContent = "Copied"; setTimeout(function () { b.textContent = "Copy link"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, function () { prompt("Copy this link", url); });
      } else {
        prompt("Copy this link", url);
      }
    });
  });

  // Compare picker: show two chosen levels side by side; state in the URL.
  var picker = document.querySelector("form[data-compare]");
  if (picker) {
    var from = picker.elements.from, to = picker.elements.to;
    var status = picker.querySelector("[data-compare-status]");
    var params = new URLSearchParams(location.search);
    var has = function (sel, v) { return Array.prototype.some.call(sel.options, function (o) { return o.value === v; }); };
    if (params.get("from") && has(from, params.get("from"))) from.value = params.get("from");
    if (params.get("to") && has(to, params.get("to"))) to.value = params.get("to");
    var apply = function (push) {
      var a = from.value, b = to.value;
      document.querySelectorAll(".compare-table [data-level]").forEach(function (cell) {
        var l = cell.getAttribute("data-level");
        cell.hidden = !(l === a || l === b);
      });
      if (status) status.textContent = "Showing level " + a + " and level " + b + ".";
      if (push && history.replaceState) {
        var q = "?from=" + encodeURIComponent(a) + "&to=" + encodeURIComponent(b);
        try { history.replaceState(null, "", q + location.hash); } catch (e) { /* file:// in some browsers */ }
      }
    };
    picker.hidden = false;
    picker.addEventListener("change", function () { apply(true); });
    picker.addEventListener("submit", function (e) { e.preventDefault(); });
    apply(false);
  }

  // Skill checklists: checkbox state persists in this browser.
  document.querySelectorAll("[data-checklist]").forEach(function (list) {
    var key = "rungs:checklist:" + list.getAttribute("data-checklist");
    var boxes = list.querySelectorAll("input[type=checkbox]");
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    boxes.forEach(function (box, i) {
      var id = box.getAttribute("data-item") || String(i);
      if (Object.prototype.hasOwnProperty.call(saved, id)) box.checked = !!saved[id];
      box.disabled = false;
      box.addEventListener("change", function () {
        saved[id] = box.checked;
        try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* storage off */ }
      });
    });
    var reset = list.querySelector("button[data-checklist-reset]");
    if (reset) {
      reset.hidden = false;
      reset.addEventListener("click", function () {
        saved = {};
        try { localStorage.removeItem(key); } catch (e) { /* storage off */ }
        boxes.forEach(function (box) { box.checked = box.defaultChecked; });
      });
    }
  });

  // Search: the box is in every header; search.js loads on first use.
  var searchForm = document.querySelector("form.site-search[data-search-js]");
  if (searchForm) {
    var searchInput = searchForm.querySelector("input[type=search]");
    var loadSearch = function () {
      if (window.RUNGS_SEARCH_UI || document.querySelector("script[data-rungs-search]")) return;
      var s = document.createElement("script");
      s.src = searchForm.getAttribute("data-search-js");
      s.setAttribute("data-rungs-search", "");
      document.head.appendChild(s);
    };
    searchInput.addEventListener("focus", loadSearch);
    searchInput.addEventListener("input", loadSearch);
    document.addEventListener("keydown", function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      searchInput.focus();
    });
  }
})();

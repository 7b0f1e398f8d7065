/* rungs search: loaded on first use. The index is plain scripts
   (search/meta.js, search/t-<c>.js) that push into window.RUNGS_SEARCH, so
   it loads with <script> tags: from file://, under any subpath, offline. */
(function () {
  "use strict";
  if (window.RUNGS_SEARCH_UI) return;
  window.RUNGS_SEARCH_UI = true;
  var root = document.body.getAttribute("data-root") || "";
  var Q = (window.RUNGS_SEARCH = window.RUNGS_SEARCH || []);
  var meta = null, shards = {}, pending = {};

  function absorb(item) {
    if (item.meta) meta = item.meta;
    if (item.shard) shards[item.shard] = item.terms;
  }
  Q.forEach(absorb);
  Q.push = function (item) { absorb(item); return 0; };

  function loadScript(rel, done) {
    if (pending[rel]) { pending[rel].push(done); return; }
    pending[rel] = [done];
    var s = document.createElement("script");
    s.src = root + rel;
    s.async = true;
    var fire = function () { var cbs = pending[rel]; pending[rel] = []; cbs.forEach(function (f) { f(); }); pending[rel].loaded = true; };
    s.onload = fire;
    s.onerror = fire;
    document.head.appendChild(s);
  }
  function loadMeta(done) { if (meta) done(); else loadScript("search/meta.js", done); }
  function loadShards(names, done) {
    var left = 0;
    names.forEach(function (n) {
      if (shards[n] || meta.shards.indexOf(n) < 0) return;
      left++;
      loadScript("search/t-" + n + ".js", function () { if (--left === 0) done(); });
    });
    if (left === 0) done();
  }

  // ---- the same stemmer as src/search.rs ----
  var STOP = "a an and are as at be by for from in is it of on or that the their this to with".split(" ");
  function isVowel(c) { return "aeiouy".indexOf(c) >= 0; }
  function stem(w) {
    if (w.length < 4 || /[^\x00-\x7f]/.test(w)) return w;
    var s = w, m;
    if (/sses$/.test(s)) s = s.slice(0, -2);
    else if (/ies$/.test(s)) s = s.slice(0, -2);
    else if (/s$/.test(s) && !/(ss|us|is)$/.test(s)) s = s.slice(0, -1);
    m = /(ing|ed)$/.exec(s);
    if (m) {
      var b = s.slice(0, -m[1].length);
      if (b.length >= 3 && /[aeiouy]/.test(b)) {
        var n = b.length;
        if (b[n - 1] === b[n - 2] && "lsz".indexOf(b[n - 1]) < 0) b = b.slice(0, -1);
        s = b;
      }
    }
    if (s.length > 3 && s[s.length - 1] === "y" && !isVowel(s[s.length - 2])) s = s.slice(0, -1) + "i";
    var rules = [["ational", "ate"], ["ization", "ize"], ["fulness", "ful"], ["iveness", "ive"], ["ousness", "ous"],
      ["ation", "ate"], ["ement", ""], ["ment", ""], ["ness", ""], ["ful", ""], ["ly", ""]];
    for (var i = 0; i < rules.length; i++) {
      var suf = rules[i][0];
      if (s.length >= suf.length && s.slice(-suf.length) === suf) {
        var base = s.slice(0, -suf.length);
        if (base.length >= 3) s = base + rules[i][1];
        break;
      }
    }
    return s;
  }
  window.RUNGS_SEARCH_STEM = stem;
  var WORD = /[\p{L}\p{N}]+/gu;
  function words(text) {
    return (text.toLowerCase().match(WORD) || []).filter(function (w) { return STOP.indexOf(w) < 0; });
  }
  function shardName(t) {
    var c = t.charAt(0);
    if (/[a-z0-9]/.test(c)) return c;
    return "u" + t.codePointAt(0).toString(16);
  }
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) return a === b;
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++;
      else if (b.length > a.length) j++;
      else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }

  // ---- querying ----
  function query(q, filters) {
    var ws = words(q);
    if (!ws.length) return { hits: [], terms: [] };
    var per = [], matched = {};
    ws.forEach(function (w) {
      var st = stem(w), scores = {};
      var terms = shards[shardName(st)] || {};
      Object.keys(terms).forEach(function (t) {
        var quality = 0;
        if (t === st || t === w) quality = 1;
        else if (t.indexOf(st) === 0 || t.indexOf(w) === 0) quality = 0.7;
        else if (w.length >= 5 && (oneEdit(t, st) || oneEdit(t, w))) quality = 0.5;
        if (!quality) return;
        matched[t] = true;
        var p = terms[t];
        for (var i = 0; i < p.length; i += 2) {
          var s = p[i + 1] * quality;
          if (!(scores[p[i]] >= s)) scores[p[i]] = s;
        }
      });
      per.push(scores);
    });
    var total = {}, count = {};
    per.forEach(function (scores) {
      Object.keys(scores).forEach(function (d) {
        total[d] = (total[d] || 0) + scores[d];
        count[d] = (count[d] || 0) + 1;
      });
    });
    var ids = Object.keys(total).map(Number);
    var all = ids.filter(function (d) { return count[d] === per.length; });
    if (all.length) ids = all;
    else ids.forEach(function (d) { total[d] *= 0.5; });
    var hits = ids.map(function (d) {
      var x = meta.docs[d];
      return { id: d, kind: x[0], title: x[1], text: x[2], url: x[3], track: x[4], level: x[5], dimension: x[6], score: total[d] };
    }).filter(function (h) {
      return (filters.track === "" || String(h.track) === filters.track) &&
        (filters.level === "" || String(h.level) === filters.level);
    });
    hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return { hits: hits, terms: Object.keys(matched), words: ws.map(stem) };
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function highlight(text, r) {
    return esc(text).replace(WORD, function (w) {
      var lw = w.toLowerCase(), st = stem(lw);
      var hit = r.terms.indexOf(st) >= 0 || r.words.some(function (q) { return q.length >= 2 && (st.indexOf(q) === 0 || lw.indexOf(q) === 0); });
      return hit ? "<mark>" + w + "</mark>" : w;
    });
  }

  // ---- one search box (header popup or the full results page) ----
  function attach(form, full) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector(".search-status");
    var filtersBox = form.querySelector(".search-filters");
    var popup = form.querySelector(".search-popup");
    var active = -1, options = [], trackSel, levelSel;
    var prefix = form.id || (full ? "sp" : "sh");

    function open(on) {
      if (popup) popup.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
    }
    function setActive(i) {
      if (options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (options[i]) {
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    function buildFilters() {
      if (trackSel || !meta) return;
      var levels = {};
      meta.docs.forEach(function (d) { if (d[5] != null) levels[d[5]] = true; });
      var html = '<label>Track <select data-filter="track"><option value="">All tracks</option>' +
        meta.tracks.map(function (t, i) { return '<option value="' + i + '">' + esc(t[1]) + "</option>"; }).join("") +
        '</select></label> <label>Level <select data-filter="level"><option value="">All levels</option>' +
        Object.keys(levels).sort(function (a, b) { return a - b; }).map(function (l) { return '<option value="' + l + '">Level ' + l + "</option>"; }).join("") +
        "</select></label>";
      filtersBox.innerHTML = html;
      trackSel = filtersBox.querySelector("[data-filter=track]");
      levelSel = filtersBox.querySelector("[data-filter=level]");
      [trackSel, levelSel].forEach(function (s) { s.addEventListener("change", run); });
    }
    function run() {
      var q = input.value;
      if (full && history.replaceState) {
        var params = new URLSearchParams();
        if (q) params.set("q", q);
        if (trackSel && trackSel.value) params.set("track", trackSel.value);
        if (levelSel && levelSel.value) params.set("level", levelSel.value);
        var s = params.toString();
        try { history.replaceState(null, "", location.pathname + (s ? "?" + s : "")); } catch (e) { /* file:// in some browsers */ }
      }
      if (!q.trim()) { list.innerHTML = ""; list.hidden = true; options = []; status.textContent = ""; open(false); return; }
      loadMeta(function () {
        buildFilters();
        var names = words(q).map(function (w) { return shardName(stem(w)); });
        loadShards(names, function () {
          if (input.value !== q) return;
          render(query(q, { track: trackSel ? trackSel.value : "", level: levelSel ? levelSel.value : "" }));
        });
      });
    }
    function render(r) {
      var hits = full ? r.hits : r.hits.slice(0, 30);
      var groups = [], byKey = {};
      hits.forEach(function (h) {
        var key = h.track + "/" + h.level;
        if (!byKey[key]) {
          var t = h.track != null ? meta.tracks[h.track][1] : "Pages";
          byKey[key] = { label: t + (h.level != null ? " · Level " + h.level : ""), hits: [] };
          groups.push(byKey[key]);
        }
        byKey[key].hits.push(h);
      });
      var n = 0, html = "";
      groups.forEach(function (g, gi) {
        html += '<div role="group" aria-labelledby="' + prefix + "-g" + gi + '" class="search-group"><div class="search-group-label" id="' + prefix + "-g" + gi + '" role="presentation">' + esc(g.label) + "</div>";
        g.hits.forEach(function (h) {
          html += '<a role="option" aria-selected="false" tabindex="-1" class="search-hit kind-' + h.kind + '" id="' + prefix + "-o" + n++ + '" href="' + esc(root + h.url) + '">' +
            '<span class="search-hit-title">' + esc(h.title) + (h.dimension ? " · " + esc(h.dimension) : "") + ' <span class="search-kind">' + esc(h.kind) + "</span></span>" +
            '<span class="search-hit-text">' + highlight(h.text, r) + "</span></a>";
        });
        html += "</div>";
      });
      list.innerHTML = html;
      list.hidden = !html;
      options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = r.hits.length ? r.hits.length + (r.hits.length === 1 ? " result" : " results") + (hits.length < r.hits.length ? ", showing " + hits.length : "") : "No results";
      open(true);
    }
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { if (input.value.trim()) run(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) return;
        e.preventDefault();
        var d = e.key === "ArrowDown" ? 1 : -1;
        setActive((active + d + options.length) % options.length);
      } else if (e.key === "Enter") {
        var o = options[active] || options[0];
        if (o) { e.preventDefault(); location.href = o.href; if (popup) open(false); }
      } else if (e.key === "Escape") {
        if (popup && !popup.hidden) { e.preventDefault(); open(false); }
        else { input.value = ""; run(); }
      }
    });
    if (popup) {
      document.addEventListener("click", function (e) { if (!form.contains(e.target)) open(false); });
    }
    if (full) {
      var params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      loadMeta(function () {
        buildFilters();
        if (params.get("track")) trackSel.value = params.get("track");
        if (params.get("level")) levelSel.value = params.get("level");
        run();
      });
    } else if (input.value.trim()) run();
  }

  document.querySelectorAll("form.site-search").forEach(function (f) { attach(f, false); });
  document.querySelectorAll("form[data-search-page]").forEach(function (f) { attach(f, true); });
})();

/* rungs search: loaded on first use. The index is plain scripts that push
   into window.RUNGS_SEARCH, so it loads with <script> tags: from file://,
   under any subpath, offline. A query loads only what it needs:
   search/meta.js (facet values, shard list) and search/facets.js (each
   document's track, level, kind, dimension) when the box gains focus, the
   term shards t-<prefix>.js its words need, and the document chunks
   d-<n>.js of the hits shown: the first few before the rest when there
   are many. */
(function () {
  "use strict";
  if (window.RUNGS_SEARCH_UI) return;
  window.RUNGS_SEARCH_UI = true;
  var root = document.body.getAttribute("data-root") || "";
  var Q = (window.RUNGS_SEARCH = window.RUNGS_SEARCH || []);
  var meta = null, shards = {}, chunks = {}, facetsRaw = null, facets = null, pending = {};
  // Every index file this page loaded, in order (for tests and benchmarks).
  var loaded = (window.RUNGS_SEARCH_LOADED = []);
  // Per query, ms from the keystroke's search to each step, when a
  // benchmark sets window.__stages (benches/search_latency.mjs, VERBOSE).
  var stages = window.__stages;
  function mark(q, step) {
    var s = stages && stages[q];
    if (s && s[step] == null) s[step] = Math.round((performance.now() - s.t0) * 10) / 10;
  }

  function rle(runs, n) {
    var out = new Int32Array(n), i = 0;
    for (var r = 0; r < runs.length; r += 2) {
      var v = runs[r + 1] == null ? -1 : runs[r + 1];
      out.fill(v, i, i + runs[r]);
      i += runs[r];
    }
    return out;
  }
  function absorb(item) {
    if (item.meta) meta = item.meta;
    if (item.shard != null) shards[item.shard] = item.terms;
    if (item.chunk != null) chunks[item.chunk] = item.docs;
    if (item.facets) facetsRaw = item.facets;
  }
  // Every document's facets, decoded once meta.js (the count) is in too.
  function facetsOf() {
    if (!facets && facetsRaw && meta) {
      var f = facetsRaw, n = meta.n;
      facets = { track: rle(f.track, n), level: rle(f.level, n), kind: rle(f.kind, n), dim: rle(f.dim, n) };
    }
    return facets;
  }
  Q.forEach(absorb);
  Q.push = function (item) { absorb(item); return 0; };

  function loadScript(rel, done) {
    if (pending[rel]) { if (pending[rel].loaded) done(); else pending[rel].push(done); return; }
    pending[rel] = [done];
    loaded.push(rel);
    var s = document.createElement("script");
    s.src = root + rel;
    s.async = true;
    var fire = function () { var cbs = pending[rel]; pending[rel] = []; pending[rel].loaded = true; cbs.forEach(function (f) { f(); }); };
    s.onload = fire;
    s.onerror = fire;
    document.head.appendChild(s);
  }
  function loadAll(rels, done) {
    var left = rels.length;
    if (!left) { done(); return; }
    rels.forEach(function (r) { loadScript(r, function () { if (--left === 0) done(); }); });
  }
  // On focus: meta.js and facets.js, both at once; the facets are decoded
  // as soon as both are in, before the first keystroke needs them.
  function preload() {
    loadMeta(warm);
    loadFacets(function () { loadMeta(facetsOf); });
  }
  // On focus, a query over made-up postings (pairs and runs) allocates
  // the per-document scratch and compiles the decoding and scoring, so
  // that the first keystroke that loads a shard finds them ready.
  var warmed = false;
  function warm() {
    if (warmed) return;
    warmed = true;
    var items = [], k = Math.min(meta.n >> 2, 20000);
    for (var i = 0; i < k; i++) items.push(i % 4 ? "3" : "2.6*3");
    var p = postingsOf({ w: "10," + items.join(",") }, "w");
    query("w", { track: "", level: "", kind: "", dim: "" }, [{ hits: [[p, 1]], size: postingCount(p) }]);
  }
  function loadMeta(done) { if (meta) done(); else loadScript("search/meta.js", done); }
  function loadFacets(done) { if (facetsRaw) done(); else loadScript("search/facets.js", done); }

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
  // ---- the same shard layout as src/search.rs ----
  function shardFile(p) {
    var out = "";
    for (var i = 0; i < p.length; i++) {
      var c = p[i];
      if (/[a-z0-9]/.test(c)) out += c;
      else { var cp = p.codePointAt(i); out += "_" + cp.toString(16) + "_"; if (cp > 0xffff) i++; }
    }
    return out;
  }
  // The shards a query word needs: the deepest shard whose prefix starts
  // the word (it holds the word itself), and, for a prefix search (3+
  // letters), every shard whose prefix extends it.
  function shardsOf(w) {
    var st = stem(w), need = [];
    [st, w].forEach(function (s) {
      var deepest = null;
      meta.shards.forEach(function (p) {
        if (s.indexOf(p) === 0) { if (!deepest || p.length > deepest.length) deepest = p; }
        else if (w.length >= 3 && p.indexOf(s) === 0 && need.indexOf(p) < 0) need.push(p);
      });
      if (deepest && need.indexOf(deepest) < 0) need.push(deepest);
    });
    return need;
  }
  // A term's postings, decoded on first use from the string its shard
  // holds (a string parses far faster than an array literal): the common
  // weight W, then `gap[.weight][*count]` items (src/search.rs,
  // encode_postings). Decoded to `gap,weight` pairs, or `gap,-weight,count`
  // for a run of consecutive documents.
  function postingsOf(terms, t) {
    var p = terms[t];
    if (typeof p !== "string") return p;
    var items = 0;
    for (var i = 0; i < p.length; i++) if (p.charCodeAt(i) === 44) items++;
    var out = new Int32Array(3 * items), k = 0, v = 0, part = 0, W = -1, g = 0, w = 0;
    for (var j = 0; j <= p.length; j++) {
      var c = j < p.length ? p.charCodeAt(j) : 44;
      if (c >= 48 && c <= 57) { v = v * 10 + c - 48; continue; }
      if (c === 46) { g = v; part = 1; } // "." weight follows
      else if (c === 42) { if (part === 0) { g = v; w = W; } else w = v; part = 2; } // "*" count follows
      else if (W < 0) W = v;
      else if (part === 0) { out[k++] = v; out[k++] = W; }
      else if (part === 1) { out[k++] = g; out[k++] = v; }
      else { out[k++] = g; out[k++] = -w; out[k++] = v; }
      if (c === 44) part = 0;
      v = 0;
    }
    return (terms[t] = out.subarray(0, k));
  }
  // How many documents a term's postings name (runs counted in full).
  function postingCount(p) {
    if (p.count === undefined) {
      var c = 0;
      for (var i = 0; i < p.length; ) { if (p[i + 1] < 0) { c += p[i + 2]; i += 3; } else { c++; i += 2; } }
      p.count = c;
    }
    return p.count;
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
  // Scores every document matching all words (or, when none does, any
  // word at half score), filtered; returns the ranked ids.
  // Per-document scratch arrays, allocated once: the summed score, how
  // many query words matched so far, and the current word's best score.
  var total = null, cnt = null, wbuf = null;
  function query(q, filters, given) {
    var ws = words(q);
    if (!ws.length) return { count: 0, top: function () { return []; }, terms: [], words: [] };
    var n = meta.n, matched = {};
    if (!total || total.length !== n) { total = new Float64Array(n); cnt = new Uint8Array(n); wbuf = new Float64Array(n); }
    // Each word's matching terms (with a match quality) and its posting count.
    var per = given || ws.map(function (w) {
      var st = stem(w), hits = [], size = 0;
      shardsOf(w).forEach(function (name) {
        var terms = shards[name] || {};
        Object.keys(terms).forEach(function (t) {
          var quality = 0;
          if (t === st || t === w) quality = 1;
          else if (w.length >= 3 && (t.indexOf(st) === 0 || t.indexOf(w) === 0)) quality = 0.7;
          else if (w.length >= 5 && (oneEdit(t, st) || oneEdit(t, w))) quality = 0.5;
          if (!quality) return;
          matched[t] = true;
          var p = postingsOf(terms, t);
          hits.push([p, quality]);
          size += postingCount(p);
        });
      });
      return { hits: hits, size: size };
    });
    mark(q, "matched");
    // Rarest word first: later words only visit documents still in the running.
    per.sort(function (a, b) { return a.size - b.size; });
    function pass(all) {
      per.forEach(function (word, k) {
        var touched = [];
        word.hits.forEach(function (h) {
          // Postings: `gap,weight` pairs, or `gap,-weight,count` for a
          // run of consecutive documents of one weight.
          var p = h[0], quality = h[1], d = 0;
          for (var i = 0; i < p.length; ) {
            d += p[i];
            var w = p[i + 1], end = d;
            if (w < 0) { w = -w; end = d + p[i + 2] - 1; i += 3; } else i += 2;
            var s = w * quality;
            for (; d <= end; d++) {
              if (all && cnt[d] !== k) continue;
              if (wbuf[d] === 0) touched.push(d);
              if (wbuf[d] < s) wbuf[d] = s;
            }
            d = end;
          }
        });
        for (var j = 0; j < touched.length; j++) {
          var d = touched[j];
          total[d] += wbuf[d];
          wbuf[d] = 0;
          cnt[d]++;
        }
      });
    }
    var f = facetsOf(), keep = null;
    if (f && (filters.track !== "" || filters.level !== "" || filters.kind !== "" || filters.dim !== "")) {
      var tr = filters.track === "" ? -2 : meta.tracks.map(function (t) { return t[0]; }).indexOf(filters.track);
      var lv = filters.level === "" ? -2 : Number(filters.level);
      var dm = filters.dim === "" ? -2 : meta.dims.indexOf(filters.dim);
      var kinds = meta.filters.map(function (g) { return filters.kind === "" || g === filters.kind; });
      keep = function (d) {
        return (tr === -2 || f.track[d] === tr) && (lv === -2 || f.level[d] === lv) &&
          (dm === -2 || f.dim[d] === dm) && kinds[f.kind[d]];
      };
    }
    // Bucket by score (few distinct values); scanning in id order keeps
    // each bucket sorted by id.
    var buckets = new Map(), count = 0;
    function collect(need, factor) {
      for (var d = 0; d < n; d++) {
        if (cnt[d] < need || (keep && !keep(d))) continue;
        var s = total[d] * factor, b = buckets.get(s);
        if (!b) buckets.set(s, (b = []));
        b.push(d);
        count++;
      }
    }
    pass(true);
    mark(q, "passed");
    collect(per.length, 1);
    mark(q, "collected");
    if (!count && per.length > 1) {
      // No document has every word: any word, at half score.
      total.fill(0); cnt.fill(0);
      pass(false);
      collect(1, 0.5);
    }
    total.fill(0); cnt.fill(0);
    var order = Array.from(buckets.keys()).sort(function (a, b) { return b - a; });
    return {
      count: count,
      // The first n ids, best first.
      top: function (limit) {
        var out = [];
        for (var i = 0; i < order.length && out.length < limit; i++) {
          var ids = buckets.get(order[i]);
          for (var j = 0; j < ids.length && out.length < limit; j++) out.push(ids[j]);
        }
        return out;
      },
      terms: Object.keys(matched),
      words: ws.map(stem),
    };
  }
  function docsOf(ids) {
    return ids.map(function (d) {
      var c = chunks[Math.floor(d / meta.chunk)], x = c && c[d % meta.chunk];
      if (!x) return null;
      return { id: d, kind: meta.kinds[x[0]], title: x[1], section: x[2], text: x[3], url: x[4], track: x[5], level: x[6], dimension: x[7] == null ? null : meta.dims[x[7]] };
    }).filter(Boolean);
  }
  // When none of the hits shown first is in, the first page of results
  // waits for this many document chunks: each costs a request and a
  // script evaluation (about 5 ms each in benches/search_latency.sh, where
  // one file showed the first results 10 to 20 ms sooner than 3).
  var FIRST_FILES = 1;
  // How many of the ranked ids can be shown once the first `files`
  // document chunks they need (in rank order) are loaded.
  function firstPage(ids, files) {
    var seen = [];
    for (var i = 0; i < ids.length; i++) {
      var c = Math.floor(ids[i] / meta.chunk);
      if (chunks[c] || seen.indexOf(c) >= 0) continue;
      if (seen.length === files) return i;
      seen.push(c);
    }
    return ids.length;
  }
  // Ranked ids in the order they are shown: grouped by track and level,
  // the groups in the order of their best hit.
  function grouped(ids) {
    var f = facetsOf(), order = [], at = {};
    ids.forEach(function (d) {
      var key = f.track[d] + "/" + f.level[d];
      if (!at[key]) order.push((at[key] = []));
      at[key].push(d);
    });
    return [].concat.apply([], order);
  }
  function chunkFiles(ids) {
    var need = [];
    ids.forEach(function (d) {
      var c = Math.floor(d / meta.chunk);
      if (!chunks[c] && need.indexOf(c) < 0) need.push(c);
    });
    return need.map(function (c) { return "search/d-" + c + ".js"; });
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function isHit(w, r) {
    var lw = w.toLowerCase(), st = stem(lw);
    return r.terms.indexOf(st) >= 0 || r.words.some(function (q) { return q.length >= 2 && (st.indexOf(q) === 0 || lw.indexOf(q) === 0); });
  }
  // A long text is shown from a little before its first matched word.
  function snippet(text, r) {
    if (text.length <= 200) return text;
    var m, re = new RegExp(WORD.source, "gu"), at = -1;
    while ((m = re.exec(text))) { if (isHit(m[0], r)) { at = m.index; break; } }
    if (at < 80) return text.slice(0, 200) + "…";
    var start = text.lastIndexOf(" ", at - 60) + 1;
    return "…" + text.slice(start, start + 200) + (start + 200 < text.length ? "…" : "");
  }
  function highlight(text, r) {
    return esc(snippet(text, r)).replace(WORD, function (w) { return isHit(w, r) ? "<mark>" + w + "</mark>" : w; });
  }

  var KIND_LABELS = { expectation: "Expectations", "anti-pattern": "Anti-patterns", skill: "Skills", page: "Pages", ladder: "Levels, roles and tracks" };
  var FILTERS = ["track", "level", "kind", "dim"];

  // ---- one search box (header popup or the full results page) ----
  function attach(form, full) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector(".search-status");
    var filtersBox = form.querySelector(".search-filters");
    var popup = form.querySelector(".search-popup");
    var more = form.querySelector(".search-more");
    var active = -1, options = [], sel = null, limit = full ? 50 : 30, seq = 0, rendered = null;
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
    function option(value, label) { return '<option value="' + esc(value) + '">' + esc(label) + "</option>"; }
    function buildFilters() {
      if (sel || !meta) return;
      var html = '<label>Track <select data-filter="track">' + option("", "All tracks") +
        meta.tracks.map(function (t) { return option(t[0], t[1]); }).join("") + "</select></label>" +
        ' <label>Level <select data-filter="level">' + option("", "All levels") +
        meta.levels.map(function (l) { return option(l, "Level " + l); }).join("") + "</select></label>" +
        ' <label>Kind <select data-filter="kind">' + option("", "All kinds") +
        Object.keys(KIND_LABELS).filter(function (k) { return meta.filters.indexOf(k) >= 0; }).map(function (k) { return option(k, KIND_LABELS[k]); }).join("") + "</select></label>";
      if (meta.dims.length) {
        html += ' <label>Dimension <select data-filter="dim">' + option("", "All dimensions") +
          meta.dims.map(function (d) { return option(d, d); }).join("") + "</select></label>";
      }
      filtersBox.innerHTML = html;
      sel = {};
      FILTERS.forEach(function (k) {
        sel[k] = filtersBox.querySelector("[data-filter=" + k + "]");
        if (sel[k]) sel[k].addEventListener("change", function () { limit = full ? 50 : 30; run(); });
      });
    }
    function filterValues() {
      var v = {};
      FILTERS.forEach(function (k) { v[k] = sel && sel[k] ? sel[k].value : ""; });
      return v;
    }
    function run() {
      var q = input.value, my = ++seq;
      if (full && history.replaceState) {
        var params = new URLSearchParams();
        if (q) params.set("q", q);
        var fv = filterValues();
        FILTERS.forEach(function (k) { if (fv[k]) params.set(k, fv[k]); });
        var s = params.toString();
        try { history.replaceState(null, "", location.pathname + (s ? "?" + s : "")); } catch (e) { /* file:// in some browsers */ }
      }
      if (!q.trim()) { rendered = null; list.innerHTML = ""; list.hidden = true; options = []; status.textContent = ""; if (more) more.hidden = true; open(false); return; }
      loadMeta(function () {
        if (my !== seq) return;
        buildFilters();
        var filters = filterValues(), files = [];
        words(q).forEach(function (w) {
          shardsOf(w).forEach(function (n) { if (!shards[n]) files.push("search/t-" + shardFile(n) + ".js"); });
        });
        // The facets place each hit in its track and level group.
        if (!facetsRaw) files.push("search/facets.js");
        if (stages) stages[q] = { t0: performance.now(), shards: files.length };
        loadAll(files, function () {
          if (my !== seq) return;
          mark(q, "loaded");
          var r = query(q, filters), ids = grouped(r.top(limit)), need = chunkFiles(ids);
          mark(q, "queried");
          var whole = function () {
            loadAll(need, function () { if (my === seq) render(q, r, docsOf(ids), false); });
          };
          // The leading hits whose document chunks are already in (a word
          // typed on narrows the hits shown before) appear at once, then
          // the rest. When none is in and the results need more than
          // FIRST_FILES chunks, the first ones (in the order shown) appear
          // as soon as their chunks are in, then the rest.
          var ready = firstPage(ids, 0);
          if (ready > 0 && ready < ids.length) {
            render(q, r, docsOf(ids.slice(0, ready)), true);
            whole();
            return;
          }
          var first = firstPage(ids, FIRST_FILES);
          if (first === ids.length) whole();
          else loadAll(need.slice(0, FIRST_FILES), function () {
            if (my !== seq) return;
            mark(q, "chunks");
            render(q, r, docsOf(ids.slice(0, first)), true);
            whole();
          });
        });
      });
    }
    function render(q, r, hits, partial) {
      var keep = rendered === q && options[active] ? options[active].href : null;
      rendered = q;
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
          var title = h.title + (h.section ? " › " + h.section : "") + (h.dimension ? " · " + h.dimension : "");
          html += '<a role="option" aria-selected="false" tabindex="-1" class="search-hit kind-' + h.kind + '" id="' + prefix + "-o" + n++ + '" href="' + esc(root + h.url) + '">' +
            '<span class="search-hit-title">' + (h.section && !h.text ? highlight(title, r) : esc(title)) + ' <span class="search-kind">' + esc(h.kind) + "</span></span>" +
            (h.text ? '<span class="search-hit-text">' + highlight(h.text, r) + "</span>" : "") + "</a>";
        });
        html += "</div>";
      });
      list.innerHTML = html;
      list.hidden = !html;
      mark(q, partial ? "first" : "all");
      options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
      active = -1;
      input.removeAttribute("aria-activedescendant");
      // Completing the same query keeps the option chosen with the arrows.
      if (keep) options.forEach(function (o, i) { if (o.href === keep && active < 0) setActive(i); });
      status.textContent = r.count ? r.count + (r.count === 1 ? " result" : " results") + (hits.length < r.count ? ", showing " + hits.length : "") + (partial ? "…" : "") : "No results";
      if (more) more.hidden = partial || hits.length >= r.count;
      open(true);
      form.dispatchEvent(new CustomEvent("rungs-search-results", { detail: { query: q, shown: hits.length, count: r.count, partial: !!partial } }));
    }
    input.addEventListener("input", function () { limit = full ? 50 : 30; run(); });
    // meta.js and facets.js load when the box gains focus, so the first
    // keystroke need not wait for them.
    input.addEventListener("focus", function () { if (input.value.trim()) run(); else preload(); });
    if (more) more.addEventListener("click", function () { limit += 50; run(); });
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
        FILTERS.forEach(function (k) {
          var v = params.get(k);
          if (v && sel[k] && Array.prototype.some.call(sel[k].options, function (o) { return o.value === v; })) sel[k].value = v;
        });
        run();
      });
    } else if (input.value.trim()) run();
    // search.js itself loads on the box's first focus: start on meta.js.
    else if (document.activeElement === input) preload();
  }

  document.querySelectorAll("form.site-search").forEach(function (f) { attach(f, false); });
  document.querySelectorAll("form[data-search-page]").forEach(function (f) { attach(f, true); });
})();

// Search in headless Chromium on a built site: bytes the first query
// downloads and keystroke-to-results latency.
//
//   node benches/search_latency.mjs SITE_DIR [START_PAGE] [QUERY...]
//
// Serves SITE_DIR over HTTP on 127.0.0.1 (under /sub/), opens START_PAGE
// (default: the first level page found), types each query key by key and,
// per keystroke, measures in the page the time from the `input` event to
// the results being in the DOM and laid out (the `rungs-search-results`
// event search.js fires after rendering, plus a forced layout). When a
// keystroke's hits need more document chunks than search.js waits for, it
// renders the first hits, then all of them: the latency is to the first
// render, and "every result of the page rendered" to the last. Bytes are
// the gzip sizes (zlib level 6, what a static host serves) of every file
// requested. Uses playwright-core from tests/browser/node_modules
// (`npm ci --prefix tests/browser`) and Chromium (CHROMIUM, default
// /usr/bin/chromium). Prints medians and p95; not a test.
import { createRequire } from "node:module";
import { readFileSync, statSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const root = resolve(process.argv[2] || "");
if (!process.argv[2]) { console.error("usage: node benches/search_latency.mjs SITE_DIR [START_PAGE] [QUERY...]"); process.exit(2); }
let start = process.argv[3];
if (!start) {
  const tracks = readdirSync(join(root, "tracks")).sort();
  const levels = readdirSync(join(root, "tracks", tracks[0])).filter((d) => d.startsWith("level-")).sort();
  start = `tracks/${tracks[0]}/${levels[Math.floor(levels.length / 2)]}/index.html`;
}
const queries = process.argv.length > 4 ? process.argv.slice(4) : [
  "mentors incidents", "reliably measures design documents", "on-call rotations", "observable interfaces",
  "pragmatically simplifies", "roadmaps", "data pipelines", "test suites", "definition of done", "mentorship",
];

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };
const gz = new Map();
let log = [];
const server = createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (!p.startsWith("/sub/")) { res.writeHead(404); res.end(); return; }
  p = normalize(join(root, p.slice(5)));
  if (!p.startsWith(root)) { res.writeHead(403); res.end(); return; }
  try {
    if (statSync(p).isDirectory()) p = join(p, "index.html");
    const body = readFileSync(p);
    res.writeHead(200, { "content-type": types[extname(p)] || "application/octet-stream", "cache-control": "max-age=3600" });
    res.end(body);
    // Sized after answering, so that compressing for the byte count does
    // not delay the response being timed.
    const entry = { path: p.slice(root.length + 1), raw: body.length, gzip: 0 };
    log.push(entry);
    setImmediate(() => {
      if (!gz.has(p)) gz.set(p, gzipSync(body, { level: 6 }).length);
      entry.gzip = gz.get(p);
    });
  } catch {
    res.writeHead(404); res.end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/sub/`;

const profile = mkdtempSync(join(tmpdir(), "rungs-search-bench-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync"],
});

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const kb = (n) => (n / 1024).toFixed(1) + " KB";
const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);

async function openPage() {
  const page = await context.newPage();
  page.on("pageerror", (e) => { console.error("page error:", String(e)); process.exitCode = 1; });
  await page.addInitScript(() => {
    window.__inputAt = {};
    window.__results = [];
    window.__stages = {};
    document.addEventListener("input", (e) => { window.__inputAt[e.target.value] = performance.now(); }, true);
    document.addEventListener("rungs-search-results", (e) => {
      const list = e.target.querySelector("[role=listbox]");
      void (list && list.offsetHeight); // layout included
      const t = performance.now();
      const files = (window.RUNGS_SEARCH_LOADED || []).length;
      window.__results.push({ q: e.detail.query, shown: e.detail.shown, count: e.detail.count, ms: t - window.__inputAt[e.detail.query], files, partial: !!e.detail.partial });
    }, true);
  });
  log = [];
  await page.goto(base + start, { waitUntil: "load" });
  const pageFiles = log; log = [];
  return { page, pageFiles };
}

// Type `q` key by key; returns the per-keystroke latencies.
async function typeQuery(page, q) {
  await page.fill("#site-search-input", "");
  const out = [];
  let typed = "";
  for (const ch of q) {
    typed += ch;
    const [before, filesBefore] = await page.evaluate(() => [window.__results.length, (window.RUNGS_SEARCH_LOADED || []).length]);
    await page.keyboard.type(ch);
    if (!typed.trim()) continue;
    // search.js may show the first results before the rest of the page's
    // document chunks arrive (`partial`); wait for the complete list too.
    await page.waitForFunction(([n, v]) => window.__results.slice(n).some((r) => r.q === v && !r.partial), [before, typed], { timeout: 30000 });
    const [r, full, stages] = await page.evaluate(([n, v]) => [window.__results.slice(n).find((r) => r.q === v), window.__results.slice(n).find((r) => r.q === v && !r.partial), window.__stages[v]], [before, typed]);
    r.stages = stages; // set by search.js, when window.__stages is: ms from the keystroke's search to each step
    r.full = full.ms; // every result shown (equal to r.ms unless r.partial)
    r.fetched = full.files - filesBefore; // index files this keystroke loaded (or waited for)
    out.push(r);
  }
  return out;
}

// 1. First query on a fresh page: what it downloads.
const { page, pageFiles } = await openPage();
await page.focus("#site-search-input");
const first = await typeQuery(page, queries[0]);
const firstFiles = log; log = [];
const search = firstFiles.filter((f) => f.path.startsWith("search/") || /search\.[0-9a-f]*\.?js$/.test(f.path));
console.log(`site ${root}, start page ${start}`);
console.log(`page open: ${pageFiles.length} files, ${kb(sum(pageFiles, "gzip"))} gzip`);
console.log(`first query "${queries[0]}" typed key by key: ${firstFiles.length} files, ${kb(sum(firstFiles, "raw"))} raw, ${kb(sum(firstFiles, "gzip"))} gzip` +
  ` (index files: ${search.filter((f) => f.path.startsWith("search/")).length}, ${kb(sum(search.filter((f) => f.path.startsWith("search/")), "gzip"))} gzip)`);
for (const kind of [["search.js", /^assets\/.*search|search\..*js$/], ["meta", /^search\/meta\.js$/], ["facets", /^search\/facets\.js$/], ["term shards", /^search\/t-/], ["doc chunks", /^search\/d-/]]) {
  const fs = firstFiles.filter((f) => kind[1].test(f.path));
  console.log(`  ${kind[0].padEnd(12)} ${String(fs.length).padStart(3)} files ${kb(sum(fs, "gzip")).padStart(9)} gzip  ${kb(sum(fs, "raw")).padStart(9)} raw`);
}
console.log(`  results: ${first.at(-1).count} (${first.at(-1).shown} shown)`);

// 2. Every keystroke of every query, same page (shards accumulate).
const all = [...first];
for (const q of queries.slice(1)) all.push(...(await typeQuery(page, q)));
const lat = all.map((r) => r.ms);
const later = log; log = [];
console.log(`keystroke → results rendered, ${lat.length} keystrokes over ${queries.length} queries: median ${pct(lat, 0.5).toFixed(1)} ms, p95 ${pct(lat, 0.95).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`);
const fullLat = all.map((r) => r.full), partial = all.filter((r) => r.partial).length;
console.log(`  every result of the page rendered: median ${pct(fullLat, 0.5).toFixed(1)} ms, p95 ${pct(fullLat, 0.95).toFixed(1)} ms, max ${Math.max(...fullLat).toFixed(1)} ms (${partial} keystrokes showed a first part before the rest)`);
const fetching = all.filter((r) => r.fetched > 0);
if (fetching.length) {
  const fl = fetching.map((r) => r.ms), ff = fetching.map((r) => r.full), fn = fetching.map((r) => r.fetched);
  console.log(`  keystrokes that loaded index files: ${fetching.length}, first results median ${pct(fl, 0.5).toFixed(1)} ms, p95 ${pct(fl, 0.95).toFixed(1)} ms, max ${Math.max(...fl).toFixed(1)} ms; all results median ${pct(ff, 0.5).toFixed(1)} ms, max ${Math.max(...ff).toFixed(1)} ms; files per such keystroke median ${pct(fn, 0.5)}, max ${Math.max(...fn)}`);
}
if (process.env.VERBOSE) {
  for (const r of all) console.log(`    ${JSON.stringify(r.q).padEnd(40)} ${r.ms.toFixed(1).padStart(7)} ms ${r.full.toFixed(1).padStart(7)} ms ${String(r.fetched).padStart(3)} files ${JSON.stringify(r.stages || {}, (k, v) => k === "t0" ? undefined : v)}`);
}
console.log(`  (first query's keystrokes alone: median ${pct(first.map((r) => r.ms), 0.5).toFixed(1)} ms, max ${Math.max(...first.map((r) => r.ms)).toFixed(1)} ms; later queries loaded ${later.length} more files, ${kb(sum(later, "gzip"))} gzip)`);

// 3. Warm: the same queries again (everything loaded): pure query + render.
const warm = [];
for (const q of queries) for (const r of await typeQuery(page, q)) warm.push(r.ms);
console.log(`warm (index loaded): median ${pct(warm, 0.5).toFixed(1)} ms, p95 ${pct(warm, 0.95).toFixed(1)} ms`);

// 4. A filter: the facets file and one filtered query.
await page.selectOption(".site-search select[data-filter=level]", { index: 1 });
await page.waitForFunction(() => window.RUNGS_SEARCH_LOADED.includes("search/facets.js"));
// facets.js loads with the first query or, since it groups results, on focus.
const facets = [...firstFiles, ...later, ...log].filter((f) => f.path === "search/facets.js");
const filtered = await typeQuery(page, queries[0]);
console.log(`level filter: facets.js ${kb(sum(facets, "gzip"))} gzip (${kb(sum(facets, "raw"))} raw), filtered keystrokes median ${pct(filtered.map((r) => r.ms), 0.5).toFixed(1)} ms, p95 ${pct(filtered.map((r) => r.ms), 0.95).toFixed(1)} ms`);

await context.close();
rmSync(profile, { recursive: true, force: true });
server.close();

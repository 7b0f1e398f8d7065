// Headless Chromium checks of rungs search on a built site, opened from
// file:// and from a tiny local HTTP server (127.0.0.1, any free port).
// Usage: node search_checks.mjs SPEC.json   (SPEC written by tests/browser.rs)
// Prints one line per check and "N passed, N failed"; exits 1 on failure.
import { startChecks, assert, axeSource } from "./harness.mjs";
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { pathToFileURL } from "node:url";


const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const root = spec.root;

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".xml": "application/xml" };
const server = createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  // Served under a subpath: /sub/… maps to the site root.
  if (!p.startsWith("/sub/")) { res.writeHead(404); res.end(); return; }
  p = normalize(join(root, p.slice(5)));
  if (!p.startsWith(root)) { res.writeHead(403); res.end(); return; }
  try {
    if (statSync(p).isDirectory()) p = join(p, "index.html");
    const body = readFileSync(p);
    res.writeHead(200, { "content-type": types[extname(p)] || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404); res.end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/sub/`;

const { check, finish } = await startChecks();

const firstHref = (page) => page.$eval("#site-search-results [role=option]", (a) => a.getAttribute("href"));
// From now on, each results render of the header box is kept in
// window.__events: its detail, how many document chunks had been asked
// for, the links shown and the status line.
const recordRenders = (page) => page.evaluate(() => {
  window.__events = [];
  document.addEventListener("rungs-search-results", (e) => {
    window.__events.push({
      detail: e.detail,
      chunks: window.RUNGS_SEARCH_LOADED.filter((f) => /^search\/d-/.test(f)).length,
      hrefs: Array.from(document.querySelectorAll("#site-search-results [role=option]")).map((a) => a.getAttribute("href")),
      status: document.querySelector(".site-search .search-status").textContent,
    });
  }, true);
});

for (const [how, url] of [
  ["file://", (rel, q = "") => pathToFileURL(join(root, rel)).href + q],
  ["http", (rel, q = "") => base + rel + q],
]) {
  await check(`${how}: "/" focuses the box; typing shows the expectation first; Enter lands on its anchor`, async (page) => {
    await page.goto(url(spec.start));
    await page.keyboard.press("/");
    assert(await page.evaluate(() => document.activeElement.id === "site-search-input"), "/ focuses search");
    await page.keyboard.type(spec.query);
    await page.waitForSelector("#site-search-results [role=option]");
    const href = await firstHref(page);
    assert(href.endsWith(spec.expect), `first result ${href}, expected …${spec.expect}`);
    const marks = await page.$$eval("#site-search-results [role=option]:first-of-type mark", (m) => m.map((x) => x.textContent.toLowerCase()));
    assert(marks.includes("rudimentary") && marks.includes("debugging"), `highlighted: ${marks}`);
    await page.keyboard.press("ArrowDown");
    const active = await page.$eval("#site-search-input", (i) => i.getAttribute("aria-activedescendant"));
    assert(active && (await page.$eval("#" + active, (o) => o.getAttribute("aria-selected"))) === "true", "arrow key selects an option");
    await page.keyboard.press("Enter");
    await page.waitForFunction((a) => location.hash === "#" + a, spec.anchor);
    // The new document may still be loading when its address has the hash.
    await page.waitForLoadState("load");
    const target = await page.evaluate(() => document.querySelector(":target")?.id);
    assert(target === spec.anchor, `:target is ${target}`);
  });

  await check(`${how}: "arrogant" finds the level-5 anti-pattern; the track filter narrows it`, async (page) => {
    await page.goto(url(spec.start));
    await page.focus("#site-search-input");
    await page.keyboard.type("arrogant");
    await page.waitForSelector("#site-search-results [role=option]");
    const hrefs = await page.$$eval("#site-search-results [role=option]", (a) => a.map((x) => x.getAttribute("href")));
    assert(hrefs.some((h) => h.includes(spec.arrogant)), `results ${hrefs}`);
    assert(hrefs.length >= 2, `both tracks: ${hrefs}`);
    if (how === "http") {
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert(bad.length === 0, "open popup: " + bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`).join("; "));
    }
    await page.selectOption(".site-search select[data-filter=track]", { label: spec.arrogant_track });
    await page.waitForFunction(() => document.querySelectorAll("#site-search-results [role=option]").length >= 1);
    const after = await page.$$eval("#site-search-results [role=option]", (a) => a.map((x) => x.getAttribute("href")));
    assert(after.length >= 1 && after.every((h) => h.includes(spec.arrogant_track_id)), `filtered ${after}`);
  });

  await check(`${how}: prefix and typo matching`, async (page) => {
    await page.goto(url(spec.start));
    await page.focus("#site-search-input");
    await page.keyboard.type("rudimentry");
    await page.waitForSelector("#site-search-results [role=option]");
    assert((await firstHref(page)).endsWith(spec.expect), "one typo still finds it");
    await page.fill("#site-search-input", "rudim");
    await page.waitForFunction((e) => document.querySelector("#site-search-results [role=option]")?.getAttribute("href").endsWith(e), spec.expect);
    await page.fill("#site-search-input", "mento");
    await page.waitForFunction(() => Array.from(document.querySelectorAll("#site-search-results [role=option] mark")).some((m) => /^mentor/i.test(m.textContent)));
  });

  await check(`${how}: search/index.html reads ?q= and shows the full results`, async (page) => {
    await page.goto(url("search/index.html", "?q=" + encodeURIComponent(spec.query)));
    await page.waitForSelector("#search-page-results [role=option]");
    const href = await page.$eval("#search-page-results [role=option]", (a) => a.getAttribute("href"));
    assert(href.endsWith(spec.expect), `first ${href}`);
    const stems = await page.evaluate((words) => words.map((w) => window.RUNGS_SEARCH_STEM(w)), Object.keys(spec.stems));
    const wrong = Object.keys(spec.stems).filter((w, i) => stems[i] !== spec.stems[w]);
    assert(wrong.length === 0, "JS and Rust stemmers differ on: " + wrong.map((w) => `${w} (rust ${spec.stems[w]})`).join(", "));
    if (how === "http") {
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert(bad.length === 0, bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`).join("; "));
    }
  });
  await check(`${how}: the index loads lazily: nothing before focus, meta.js and facets.js on focus, then only the shards and chunks the query needs`, async (page) => {
    await page.goto(url(spec.start));
    const early = await page.evaluate(() => Array.from(document.scripts).map((s) => s.src).filter((s) => /search/.test(s)));
    assert(early.length === 0 && !(await page.evaluate(() => window.RUNGS_SEARCH_UI)), `search scripts before focus: ${early}`);
    await page.focus("#site-search-input");
    await page.waitForFunction(() => window.RUNGS_SEARCH_UI === true && window.RUNGS_SEARCH_LOADED.length >= 2);
    const before = await page.evaluate(() => window.RUNGS_SEARCH_LOADED.slice());
    assert(before.join() === "search/meta.js,search/facets.js", `loaded on focus, before typing: ${before}`);
    await page.keyboard.type(spec.query);
    await page.waitForFunction((e) => document.querySelector("#site-search-results [role=option]")?.getAttribute("href").endsWith(e), spec.expect);
    const files = await page.evaluate(() => window.RUNGS_SEARCH_LOADED.slice());
    assert(files[0] === "search/meta.js", `first file ${files[0]}`);
    const shards = files.filter((f) => /^search\/t-/.test(f));
    assert(shards.some((f) => f.startsWith("search/t-ru")) && shards.some((f) => f.startsWith("search/t-de")), `shards ${shards}`);
    const listed = await page.evaluate(() => document.querySelectorAll("script[src*='search/t-']").length);
    assert(listed === shards.length && shards.length <= 12, `${shards.length} shard scripts for two words: ${shards}`);
    assert(files.some((f) => /^search\/d-\d+\.js$/.test(f)), `no document chunk loaded: ${files}`);
    assert(files.length === before.length + shards.length + files.filter((f) => /^search\/d-/.test(f)).length, `other files: ${files}`);
  });

  await check(`${how}: results needing several document chunks, none of them in, show the first ones after one chunk load, then all, in the same order`, async (page) => {
    await page.goto(url(spec.start));
    await page.focus("#site-search-input");
    await page.waitForFunction(() => window.RUNGS_SEARCH_LOADED && window.RUNGS_SEARCH_LOADED.length === 2);
    await recordRenders(page);
    await page.fill("#site-search-input", spec.spread_query);
    await page.waitForFunction(() => window.__events.some((e) => !e.detail.partial));
    const ev = await page.evaluate(() => window.__events);
    const first = ev[0], last = ev[ev.length - 1];
    assert(first.detail.partial && first.chunks === 1 && first.hrefs.length >= 1 && first.hrefs.length < spec.spread_count,
      `first render: partial ${first.detail.partial}, ${first.chunks} chunk files, ${first.hrefs.length} of ${spec.spread_count} results`);
    assert(/…$/.test(first.status), `first status says more are coming: ${first.status}`);
    assert(!last.detail.partial && last.hrefs.length === spec.spread_count && last.detail.count === spec.spread_count,
      `complete render: ${last.hrefs.length} shown of ${last.detail.count}, expected ${spec.spread_count}`);
    assert(first.hrefs.every((h, i) => last.hrefs[i] === h), `first results are not the start of the full list: ${first.hrefs} vs ${last.hrefs}`);
  });

  await check(`${how}: hits whose document chunk is already in show at once, before any chunk loads, then the rest in the same order`, async (page) => {
    // Which chunk holds the best hit: the first one a fresh page loads.
    await page.goto(url(spec.start));
    await page.focus("#site-search-input");
    await page.waitForFunction(() => window.RUNGS_SEARCH_LOADED && window.RUNGS_SEARCH_LOADED.length === 2);
    await page.fill("#site-search-input", spec.spread_query);
    await page.waitForFunction((n) => document.querySelectorAll("#site-search-results [role=option]").length === n && !/…$/.test(document.querySelector(".site-search .search-status").textContent), spec.spread_count);
    const best = await page.evaluate(() => window.RUNGS_SEARCH_LOADED.find((f) => /^search\/d-/.test(f)));
    // A fresh page that already holds that chunk (as after an earlier
    // query that showed the hit) shows it before loading any other.
    await page.goto(url(spec.start));
    await page.focus("#site-search-input");
    await page.waitForFunction(() => window.RUNGS_SEARCH_LOADED && window.RUNGS_SEARCH_LOADED.length === 2);
    await page.evaluate((rel) => new Promise((done) => {
      const s = document.createElement("script");
      s.src = (document.body.getAttribute("data-root") || "") + rel;
      s.onload = done;
      document.head.appendChild(s);
    }), best);
    await recordRenders(page);
    await page.fill("#site-search-input", spec.spread_query);
    await page.waitForFunction(() => window.__events.some((e) => !e.detail.partial));
    const ev = await page.evaluate(() => window.__events);
    const first = ev[0], last = ev[ev.length - 1];
    assert(first.detail.partial && first.chunks === 0 && first.hrefs.length >= 1 && first.hrefs.length < spec.spread_count,
      `first render: partial ${first.detail.partial} after ${first.chunks} chunk loads, ${first.hrefs.length} of ${spec.spread_count} results`);
    assert(!last.detail.partial && last.hrefs.length === spec.spread_count, `complete render: ${last.hrefs.length} of ${spec.spread_count}`);
    assert(first.hrefs.every((h, i) => last.hrefs[i] === h), `first results are not the start of the full list: ${first.hrefs} vs ${last.hrefs}`);
  });

  await check(`${how}: kind and dimension filters narrow the results`, async (page) => {
    await page.goto(url(spec.start));
    await page.focus("#site-search-input");
    await page.keyboard.type("arrogant");
    await page.waitForSelector("#site-search-results [role=option]");
    await page.selectOption(".site-search select[data-filter=kind]", "anti-pattern");
    await page.waitForFunction(() => Array.from(document.querySelectorAll("#site-search-results [role=option]")).every((a) => a.classList.contains("kind-anti-pattern")));
    assert(await page.evaluate(() => window.RUNGS_SEARCH_LOADED.filter((f) => f === "search/facets.js").length === 1), "facets loaded once");
    await page.selectOption(".site-search select[data-filter=kind]", "page");
    await page.waitForFunction(() => /No results/.test(document.querySelector(".site-search .search-status").textContent));
    await page.selectOption(".site-search select[data-filter=kind]", "");
    await page.fill("#site-search-input", spec.dim_query);
    await page.waitForSelector("#site-search-results [role=option]");
    await page.selectOption(".site-search select[data-filter=dim]", spec.dim);
    await page.waitForFunction((d) => {
      const o = Array.from(document.querySelectorAll("#site-search-results [role=option] .search-hit-title"));
      return o.length > 0 && o.every((t) => t.textContent.includes("· " + d));
    }, spec.dim);
  });

  await check(`${how}: plain pages' body text is searchable; the page kind keeps only pages`, async (page) => {
    await page.goto(url(spec.start));
    await page.focus("#site-search-input");
    await page.keyboard.type(spec.page_query);
    await page.waitForSelector("#site-search-results [role=option]");
    const hrefs = await page.$$eval("#site-search-results [role=option]", (a) => a.map((x) => x.getAttribute("href")));
    assert(hrefs.length === 1 && hrefs[0].endsWith(spec.page_url), `results ${hrefs}, expected …${spec.page_url}`);
    const kind = await page.$eval("#site-search-results [role=option]", (a) => a.className);
    assert(kind.includes("kind-page"), kind);
  });

  await check(`${how}: the results page reads and writes track, level, kind and dimension in its address`, async (page) => {
    const track = spec.arrogant_track_id.split("/")[1];
    await page.goto(url("search/index.html", `?q=arrogant&kind=anti-pattern&track=${track}`));
    await page.waitForSelector("#search-page-results [role=option]");
    assert(await page.$eval("select[data-filter=kind]", (s) => s.value) === "anti-pattern", "kind preset from the address");
    assert(await page.$eval("select[data-filter=track]", (s) => s.value) === track, "track preset from the address");
    const hrefs = await page.$$eval("#search-page-results [role=option]", (a) => a.map((x) => x.getAttribute("href")));
    assert(hrefs.length >= 1 && hrefs.every((h) => h.includes(spec.arrogant_track_id)), `filtered ${hrefs}`);
    await page.selectOption("select[data-filter=level]", "5");
    await page.waitForFunction(() => /[?&]level=5/.test(location.search));
    const qs = new URLSearchParams(await page.evaluate(() => location.search));
    assert(qs.get("q") === "arrogant" && qs.get("kind") === "anti-pattern" && qs.get("track") === track, `address ${qs}`);
    await page.waitForFunction((a) => {
      const o = Array.from(document.querySelectorAll("#search-page-results [role=option]"));
      return o.length >= 1 && o.every((x) => x.getAttribute("href").includes(a));
    }, spec.arrogant);
  });
}

server.close();
await finish();

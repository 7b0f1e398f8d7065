// Headless Chromium check of `rungs serve`'s reload client. Run by
// `cargo test --test browser` (serve_live_reload_in_chromium), or by hand:
//   rungs serve --port 0 SITE          (SITE: a scratch copy; it is edited)
//   node tests/browser/serve_checks.mjs http://127.0.0.1:PORT/ SITE
// SITE needs content/alpha.md (long enough to scroll, with "Para 5") and
// themes/default/static/style.css. Checks: an edit reloads the page with the
// new text; a CSS-only change swaps the stylesheet without a reload; a broken
// edit shows a fixed role="alert" overlay with the file and line; the fix
// reloads, clears the overlay and keeps the scroll position.
// Prints "N passed, N failed"; exits 1 when anything failed.
import { chromium } from "playwright-core";
import { writeFileSync, readFileSync, appendFileSync } from "node:fs";
const base = process.argv[2];
const site = process.argv[3];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
let passed = 0, failed = 0;
const check = (ok, name) => { console.log(`${ok ? "ok  " : "FAIL"} ${name}`); if (ok) passed++; else failed++; };
// A step that times out is one failure, not the end of the run.
const step = async (name, f) => { try { return await f(); } catch (e) { check(false, `${name}: ${String(e).split("\n")[0]}`); return undefined; } };
const alpha = site + "/content/alpha.md";
const original = readFileSync(alpha, "utf8");
const errs = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", e => errs.push(String(e)));
  await page.goto(base + "alpha/");
  // The reload client is connected once it has opened its event stream.
  await page.waitForTimeout(500);

  // 1. An edit reloads the page and shows the new text.
  await page.evaluate(() => { window.__marker = 1; });
  writeFileSync(alpha, original.replace("Para 1", "Para ONE"));
  await step("edit reloads", async () => {
    await page.waitForFunction(() => window.__marker === undefined && document.body && document.body.innerText.includes("Para ONE"), null, { timeout: 8000 });
    check(true, "an edit reloads the page with the new text");
  });
  await page.waitForLoadState("load");
  await page.waitForTimeout(300);

  // 2. CSS-only change: swapped without a reload.
  await page.evaluate(() => { window.scrollTo(0, 1500); window.__marker = 1; });
  appendFileSync(site + "/themes/default/static/style.css", "\nbody { background: rgb(1, 2, 3) !important; }\n");
  await step("css swap", async () => {
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)", null, { timeout: 8000 });
    check(await page.evaluate(() => window.__marker === 1), "a stylesheet change swaps the CSS without a reload");
  });

  // 3. Broken edit: overlay naming the file and line.
  writeFileSync(alpha, "---\ntitle: [x\n---\nBroken\n");
  await step("overlay", async () => {
    await page.waitForSelector("#rungs-error-overlay[role=alert]", { timeout: 8000 });
    const text = await page.textContent("#rungs-error-overlay");
    check(text.includes("alpha.md:2"), `the overlay names the file and line (${JSON.stringify(text.slice(0, 120))})`);
    check(await page.evaluate(() => getComputedStyle(document.getElementById("rungs-error-overlay")).position) === "fixed", "the overlay is fixed");
  });

  // 4. Fix: reload, overlay gone, scroll kept.
  writeFileSync(alpha, original.replace("Para 5", "Para FIVE"));
  await step("fix reloads", async () => {
    await page.waitForFunction(() => window.__marker === undefined, null, { timeout: 8000 });
    await page.waitForLoadState("load");
    await page.waitForTimeout(400);
    check(await page.evaluate(() => !document.getElementById("rungs-error-overlay")), "the good build clears the overlay");
    check(await page.evaluate(() => window.scrollY) === 1500, "the reload keeps the scroll position");
    check(await page.evaluate(() => document.body.innerText.includes("Para FIVE")), "the reload shows the fixed text");
  });
  check(errs.length === 0, "no page errors " + errs.join("; "));
} finally {
  writeFileSync(alpha, original);
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

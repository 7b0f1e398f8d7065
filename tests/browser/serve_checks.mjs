// Headless Chromium check of `rungs serve`'s reload client, run by hand:
//   rungs serve --port 0 SITE          (SITE: a scratch copy; it is edited)
//   node tests/browser/serve_checks.mjs http://127.0.0.1:PORT/ SITE
// SITE needs content/alpha.md (long enough to scroll) and
// themes/default/static/style.css. Checks: a CSS-only change swaps the
// stylesheet without a reload; a broken edit shows a fixed role="alert"
// overlay with the file and line; the fix reloads, clears the overlay and
// keeps the scroll position.
import { chromium } from "playwright-core";
import { writeFileSync, readFileSync, appendFileSync } from "node:fs";
const base = process.argv[2];
const site = process.argv[3];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu"] });
const page = await browser.newPage();
const errs = []; page.on("pageerror", e => errs.push(String(e)));
let failed = 0;
const check = (ok, name) => { console.log(`${ok ? "ok  " : "FAIL"} ${name}`); if (!ok) failed++; };
await page.goto(base + "alpha/");
await page.waitForTimeout(300);
await page.evaluate(() => { window.scrollTo(0, 1500); window.__marker = 1; });
// CSS-only change: no reload
appendFileSync(site + "/themes/default/static/style.css", "\nbody { background: rgb(1, 2, 3) !important; }\n");
await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)", null, { timeout: 5000 });
check(await page.evaluate(() => window.__marker === 1), "css swapped without a reload");
// Broken edit: overlay
const good = readFileSync(site + "/content/alpha.md", "utf8");
writeFileSync(site + "/content/alpha.md", "---\ntitle: [x\n---\nBroken\n");
await page.waitForSelector("#rungs-error-overlay[role=alert]", { timeout: 5000 });
check((await page.textContent("#rungs-error-overlay")).includes("alpha.md:2"), "overlay names the file and line");
check(await page.evaluate(() => getComputedStyle(document.getElementById("rungs-error-overlay")).position) === "fixed", "overlay is fixed");
// Fix: reload, overlay gone, scroll kept
writeFileSync(site + "/content/alpha.md", good.replace("Para 5", "Para FIVE"));
await page.waitForFunction(() => window.__marker === undefined, null, { timeout: 5000 });
await page.waitForLoadState("load");
await page.waitForTimeout(300);
check(await page.evaluate(() => !document.getElementById("rungs-error-overlay")), "good build clears the overlay");
check(await page.evaluate(() => window.scrollY) === 1500, "reload keeps the scroll position");
check(await page.evaluate(() => document.body.innerText.includes("Para FIVE")), "reload shows the new text");
check(errs.length === 0, "no page errors " + errs.join("; "));
await browser.close();
process.exit(failed ? 1 : 0);

// Headless Chromium checks of a built rungs site: the compare picker, the
// skill checklists, and axe-core accessibility on the main page kinds.
// Usage: node site_checks.mjs SPEC.json   (SPEC written by tests/browser.rs)
// Prints one line per check and "N passed, N failed" at the end; exits 1 on
// any failure.
import { startChecks, assert, axeSource } from "./harness.mjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const root = spec.root;
const url = (rel, query = "") => pathToFileURL(join(root, rel)).href + query;

const { check, finish } = await startChecks();

if (spec.compare) {
  await check("compare picker shows the chosen pair and keeps it in the URL", async (page) => {
    const { path, from, to, other } = spec.compare;
    await page.goto(url(path, `?from=${from}&to=${to}`));
    const visible = async () => page.$$eval(".compare-table thead th[data-level]", (ths) =>
      ths.filter((th) => !th.hidden && th.offsetParent !== null).map((th) => th.getAttribute("data-level")));
    let v = await visible();
    assert(JSON.stringify(v) === JSON.stringify([String(from), String(to)]), `visible columns ${v}`);
    // Keyboard: focus the second picker and choose another level.
    await page.focus("select[name=to]");
    await page.selectOption("select[name=to]", String(other));
    v = await visible();
    assert(v.includes(String(other)) && v.includes(String(from)) && v.length === 2, `after change: ${v}`);
    const search = await page.evaluate(() => location.search);
    assert(search.includes(`to=${other}`), `URL keeps the state: ${search}`);
    const status = await page.textContent("[data-compare-status]");
    assert(status.includes(String(other)), `status: ${status}`);
  });
}

if (spec.skill) {
  await check("skill checklist ticks persist across reloads and reset clears them", async (page) => {
    await page.goto(url(spec.skill));
    const boxes = page.locator("[data-checklist] input[type=checkbox]");
    const n = await boxes.count();
    assert(n >= spec.skill_checkboxes, `checkboxes: ${n}`);
    assert(await boxes.first().isEnabled(), "checkboxes are enabled");
    await boxes.nth(0).check();
    await boxes.nth(2).check();
    await page.reload();
    assert(await boxes.nth(0).isChecked(), "first stays ticked after reload");
    assert(await boxes.nth(2).isChecked(), "third stays ticked after reload");
    assert(!(await boxes.nth(1).isChecked()), "second stays unticked");
    await page.click("button[data-checklist-reset]");
    assert(!(await boxes.nth(0).isChecked()), "reset unticks");
    await page.reload();
    assert(!(await boxes.nth(0).isChecked()), "reset is saved");
  });
}

if (spec.axe && spec.axe.track) {
  await check("below 600px a track matrix becomes one card per level", async (page) => {
    await page.setViewportSize({ width: 400, height: 900 });
    await page.goto(url(spec.axe.track));
    assert(!(await page.isVisible("table.matrix")), "the wide matrix is hidden");
    const cards = await page.locator(".level-card").count();
    const levels = await page.locator("table.matrix thead th[scope=col] a").count();
    assert(cards > 1 && cards === levels, `${cards} cards for ${levels} levels`);
    assert(await page.locator(".level-card").first().isVisible(), "cards are shown");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 1, `page scrolls sideways by ${overflow}px`);
  });
  await check("every expectation of a level page gets a copy-link button for its anchor", async (page) => {
    await page.goto(url(spec.axe.level));
    const rows = await page.$$eval("li.expectation[id]", (lis) => lis.map((li) => {
      const b = li.querySelector("button.copy-link");
      return { id: li.id, anchor: b && b.getAttribute("data-anchor"), shown: !!b && !b.hidden && b.offsetParent !== null };
    }));
    assert(rows.length > 0, "the level page lists expectations");
    for (const r of rows) {
      assert(r.anchor === r.id && r.shown, `expectation ${r.id}: button for ${r.anchor}, shown ${r.shown}`);
    }
  });
  await check("a level page prints without navigation", async (page) => {
    await page.goto(url(spec.axe.level));
    await page.emulateMedia({ media: "print" });
    for (const sel of [".site-header", ".breadcrumb", ".site-footer", ".level-nav"]) {
      if (await page.locator(sel).count()) assert(!(await page.isVisible(sel)), `${sel} is hidden in print`);
    }
    assert(await page.isVisible("h1"), "the level heading prints");
  });
}

for (const [kind, rel] of Object.entries(spec.axe || {})) {
  await check(`axe-core: no serious or critical violations on the ${kind} page`, async (page) => {
    await page.goto(url(rel));
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert(bad.length === 0, bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`).join("; "));
  });
}

await finish();

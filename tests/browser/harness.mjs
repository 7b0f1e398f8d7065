// Shared by the headless Chromium check scripts: start Debian's Chromium,
// run named checks each in a fresh context (page errors fail the check),
// and finish with "N passed, N failed" and the exit code.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export function assert(cond, msg) { if (!cond) throw new Error(msg); }

export async function startChecks() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // Playwright starts Chromium headless with a fresh temporary profile
    // (user data dir) of its own on every launch.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  let passed = 0, failed = 0;
  async function check(name, fn) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    try {
      await fn(page);
      if (errors.length) throw new Error("page errors: " + errors.join("; "));
      console.log(`ok   ${name}`);
      passed++;
    } catch (e) {
      console.log(`FAIL ${name}: ${e.message}`);
      failed++;
    } finally {
      await context.close();
    }
  }
  async function finish() {
    await browser.close();
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }
  return { check, finish };
}

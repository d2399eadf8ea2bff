// Headless Chromium for page tests (Debian's /usr/bin/chromium, driven by playwright-core): a fresh profile per
// browser, every console error and every network request collected, screenshots kept in test-results/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { projectRoot } from "./cli.js";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = join(projectRoot, "test-results", "screenshots");

// Flags for a quiet, offline-minded headless browser that makes no requests of its own.
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface OpenPage {
  page: Page;
  consoleErrors: string[]; // console.error messages and uncaught page errors
  requests: string[]; // the URL of every request the page made
  // Saves a full-page PNG as test-results/screenshots/<name>.png; answers its path.
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

// Launches Chromium with a fresh --user-data-dir and opens `url`; fails with what to do when Chromium is missing.
export async function openPage(url: string, viewport = { width: 1280, height: 900 }): Promise<OpenPage> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` as root (it installs Debian's chromium) or \`apt-get install -y --no-install-recommends chromium\``);
  }
  const profile = mkdtempSync(join(tmpdir(), "mlship-chromium-"));
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  context.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  return {
    page,
    consoleErrors,
    requests,
    async screenshot(name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context!.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

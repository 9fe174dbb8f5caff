// What the console scripts share: headless Chromium (Debian's package, through puppeteer-core) with every error the
// browser logs collected, signing in, screenshots, and the closing verdict. Environment: CONSOLE_URL, KEY,
// SCREENSHOTS, CHROMIUM.
import puppeteer from "puppeteer-core";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const { CONSOLE_URL, KEY, SCREENSHOTS, CHROMIUM } = process.env;
const errors = [];
export const step = (what) => console.log(`step: ${what}`);

const failureShot = `failed-${process.argv[1].split("/").at(-1).replace(".test.mjs", "")}`;

async function open() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  rmSync(join(SCREENSHOTS, `${failureShot}.png`), { force: true });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on("console", (message) => message.type() === "error" && errors.push(`console: ${message.text()}`));
  page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
  page.on("requestfailed", (request) => errors.push(`request: ${request.url()} ${request.failure()?.errorText}`));
  page.on("response", (response) => response.status() >= 400 && errors.push(`response: ${response.status()} ${response.url()}`));
  return { browser, page };
}

export async function signIn(page) {
  await page.goto(CONSOLE_URL, { waitUntil: "load" });
  await page.waitForSelector("dialog#sign-in[open]", { timeout: 15000 });
  await screenshot(page, "sign-in");
  await page.type("#functions-key", KEY);
  await page.keyboard.press("Enter");
  await page.waitForSelector("dialog#sign-in:not([open])", { timeout: 15000 });
}

export const screenshot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

// Follows a link by keyboard: focus it, press Enter.
export async function follow(page, selector) {
  await page.waitForSelector(selector, { timeout: 15000 });
  await page.focus(selector);
  await page.keyboard.press("Enter");
}

// Presses the page's button with this text by keyboard.
export async function press(page, text) {
  const handle = await page.waitForFunction((label) => [...document.querySelectorAll("main button")].find((b) => b.textContent === label && !b.disabled),
    { timeout: 15000 }, text);
  await handle.asElement().focus();
  await page.keyboard.press("Enter");
}

// The text of a table's cell in the row whose first cell is `key`.
export function cellText(page, table, key, column, timeout = 15000) {
  return page.waitForFunction((label, rowKey, index) => {
    const row = [...document.querySelectorAll(`table[aria-label="${label}"] tbody tr`)].find((r) => r.cells[0].textContent === rowKey);
    return row ? row.cells[index].textContent : false;
  }, { timeout }, table, key, column).then((handle) => handle.jsonValue());
}

// Waits until the facts list's value for `term` satisfies the test.
export function waitForFact(page, term, expected, timeout = 60000) {
  return page.waitForFunction((name, wanted) => {
    const terms = [...document.querySelectorAll("dl.facts dt")];
    const found = terms.find((dt) => dt.textContent === name);
    return found?.nextElementSibling?.textContent === wanted;
  }, { timeout }, term, expected);
}

// Runs a script's steps in a fresh browser: a screenshot when a step fails, the browser closed, then the verdict.
export async function run(steps) {
  const { browser, page } = await open();
  try {
    await steps(page);
  } catch (error) {
    await screenshot(page, failureShot);
    throw error;
  } finally {
    await browser.close();
  }

  finish();
}

function finish() {
  if (errors.length > 0) {
    console.error(`the browser logged errors:\n${errors.join("\n")}`);
    process.exit(1);
  }

  console.log("console: ok");
}

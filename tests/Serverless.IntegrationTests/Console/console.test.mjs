// Drives the web console in headless Chromium (Debian's package, through puppeteer-core) against the running local
// system: signs in with the key, reads the zones page and the pool page, checks the pool's chart holds the readings
// the agent posted, moves between pages by keyboard, and fails on any error the browser logged. Screenshots go to
// SCREENSHOTS. Environment: CONSOLE_URL, KEY, ZONE, POOL, MEMBER, READING (the value the device reports), CHROMIUM.
import puppeteer from "puppeteer-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const { CONSOLE_URL, KEY, ZONE, POOL, MEMBER, READING, SCREENSHOTS, CHROMIUM } = process.env;
const errors = [];
const step = (what) => console.log(`step: ${what}`);
mkdirSync(SCREENSHOTS, { recursive: true });

const browser = await puppeteer.launch({
  executablePath: CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on("console", (message) => message.type() === "error" && errors.push(`console: ${message.text()}`));
  page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
  page.on("requestfailed", (request) => errors.push(`request: ${request.url()} ${request.failure()?.errorText}`));
  page.on("response", (response) => response.status() >= 400 && errors.push(`response: ${response.status()} ${response.url()}`));

  step("open the console: the sign-in dialog comes up");
  await page.goto(CONSOLE_URL, { waitUntil: "load" });
  await page.waitForSelector("dialog#sign-in[open]", { timeout: 15000 });
  await page.screenshot({ path: join(SCREENSHOTS, "sign-in.png") });
  await page.type("#credential", KEY);
  await page.keyboard.press("Enter");

  step("zones page lists the zone with its connected agent group");
  await page.waitForFunction((zone) => [...document.querySelectorAll('table[aria-label="Zones"] tbody tr')]
    .some((row) => row.cells[0].textContent === zone && row.cells[3].textContent === "connected"), { timeout: 15000 }, ZONE);
  await page.screenshot({ path: join(SCREENSHOTS, "zones.png"), fullPage: true });

  step("by keyboard: the Pools link, then the pool");
  await page.focus('nav a[href="#/pools"]');
  await page.keyboard.press("Enter");
  await page.waitForSelector(`table[aria-label="Pools"] a[href="#/pools/${POOL}"]`, { timeout: 15000 });
  await page.screenshot({ path: join(SCREENSHOTS, "pools.png"), fullPage: true });
  await page.focus(`a[href="#/pools/${POOL}"]`);
  await page.keyboard.press("Enter");

  step("the pool's chart draws the member's readings and both thresholds");
  await page.waitForFunction((member) => {
    const chart = window.Chart?.getChart(document.getElementById("pool-chart"));
    return chart && chart.data.datasets.some((d) => d.label === member && d.data.length > 0);
  }, { timeout: 20000 }, MEMBER);
  const datasets = await page.evaluate(() => window.Chart.getChart(document.getElementById("pool-chart")).data.datasets
    .map((d) => ({ label: d.label, values: d.data.map((p) => p.y) })));
  const readings = datasets.find((d) => d.label === MEMBER).values;
  if (!readings.every((value) => value === Number(READING))) {
    throw new Error(`the chart shows ${readings} for ${MEMBER}, the device reports ${READING}`);
  }

  if (!datasets.some((d) => d.label === "activate above") || !datasets.some((d) => d.label === "deactivate below")) {
    throw new Error(`the chart lacks a threshold: ${datasets.map((d) => d.label)}`);
  }

  const memberState = await page.$eval('table[aria-label="Members"] tbody tr td:nth-child(3)', (cell) => cell.textContent);
  if (memberState !== "active") {
    throw new Error(`the members table says ${memberState}`);
  }

  const label = await page.$eval("#pool-chart", (canvas) => canvas.getAttribute("aria-label"));
  if (!label?.includes("against the thresholds")) {
    throw new Error(`the chart has no useful label: ${label}`);
  }

  await page.screenshot({ path: join(SCREENSHOTS, "pool.png"), fullPage: true });
  console.log(`chart: ${MEMBER} ${readings.length} readings of ${READING}`);
} finally {
  await browser.close();
}

if (errors.length > 0) {
  console.error(`the browser logged errors:\n${errors.join("\n")}`);
  process.exit(1);
}

console.log("console: ok");

// The console's first pages against the running local system: signs in with the key, reads the zones page and the
// pool page, checks the pool's chart holds the readings the agent posted, moves between pages by keyboard, and fails
// on any error the browser logged. Environment (besides browser.mjs's): ZONE, POOL, MEMBER, READING (the value the
// device reports).
import { follow, run, screenshot, signIn, step } from "./browser.mjs";

const { ZONE, POOL, MEMBER, READING, WINDOW_CRON } = process.env;
await run(async (page) => {
  step("open the console: the sign-in dialog comes up");
  await signIn(page);

  step("zones page lists the zone with its connected agent group");
  await page.waitForFunction((zone) => [...document.querySelectorAll('table[aria-label="Zones"] tbody tr')]
    .some((row) => row.cells[0].textContent === zone && row.cells[3].textContent === "connected"), { timeout: 15000 }, ZONE);
  await screenshot(page, "zones");

  step("by keyboard: the Pools link, then the pool");
  await follow(page, 'nav a[href="#/pools"]');
  await page.waitForSelector(`table[aria-label="Pools"] a[href="#/pools/${POOL}"]`, { timeout: 15000 });
  await screenshot(page, "pools");
  await follow(page, `a[href="#/pools/${POOL}"]`);

  step("the pool's chart draws the member's readings, both thresholds and the active members");
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

  // The member was activated after the pool was made: the steps go from 0 to 1 active member.
  const active = datasets.find((d) => d.label === "active members")?.values ?? [];
  if (active.at(-1) !== 1 || !active.includes(0)) {
    throw new Error(`the active members line is ${active}, not from 0 to 1`);
  }

  const memberState = await page.$eval('table[aria-label="Members"] tbody tr td:nth-child(3)', (cell) => cell.textContent);
  if (memberState !== "active") {
    throw new Error(`the members table says ${memberState}`);
  }

  step("the pool's schedule window and its spend against the budget");
  const windowRow = await page.$eval('table[aria-label="Schedule"] tbody tr', (row) => [...row.cells].map((c) => c.textContent));
  // The member's activation was confirmed, so the measured lead is the window's 30 s plus what it took.
  const lead = /^(\d+) s \(measured\)$/.exec(windowRow[3]);
  if (windowRow[0] !== "nightly" || windowRow[1] !== "no" || !lead || Number(lead[1]) <= 30 || !windowRow[6].includes(`${WINDOW_CRON}, Europe/Berlin`)) {
    throw new Error(`the schedule table shows ${windowRow}`);
  }

  const spend = await page.$eval('section[aria-label="Spend"]', (section) => section.textContent);
  if (!spend.includes("0.25 per hour") || !spend.includes("Budget per hour1")) {
    throw new Error(`the spend section shows ${spend}`);
  }

  const label = await page.$eval("#pool-chart", (canvas) => canvas.getAttribute("aria-label"));
  if (!label?.includes("against the thresholds")) {
    throw new Error(`the chart has no useful label: ${label}`);
  }

  await screenshot(page, "pool");
  console.log(`chart: ${MEMBER} ${readings.length} readings of ${READING}; active members ${active}`);
});

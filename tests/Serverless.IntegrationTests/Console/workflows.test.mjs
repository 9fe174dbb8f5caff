// The console's pages for resources, instances, stacks, migrations and operations against the running local system,
// and actions taken in them by keyboard: stop an instance, migrate another to a provider zone, roll a failed stack
// back. The C# test then checks the hosts. Environment (besides browser.mjs's): HOST, REJECTED (a rejected
// resource), INSTANCE, MOVER, TARGET_ZONE, STACK (failed, kept), STUCK (an operation waiting on SILENT_ZONE).
import { cellText, follow, press, run, screenshot, signIn, step, waitForFact } from "./browser.mjs";

const { HOST, REJECTED, INSTANCE, MOVER, TARGET_ZONE, STACK, STUCK, SILENT_ZONE } = process.env;
const expect = (condition, message) => {
  if (!condition) {
    throw new Error(message);
  }
};
await run(async (page) => {
  await signIn(page);

  step("resources: the host with its capabilities, the rejected appliance with its reason");
  await follow(page, 'nav a[href="#/resources"]');
  expect(await cellText(page, "Resources", HOST, 3) === "registered", `${HOST} is not registered on the page`);
  expect((await cellText(page, "Resources", HOST, 5)).length > 0, `${HOST} shows no capabilities`);
  expect(await cellText(page, "Resources", REJECTED, 3) === "rejected", `${REJECTED} is not rejected on the page`);
  const reason = await cellText(page, "Resources", REJECTED, 6);
  expect(reason.includes("no SNMP credential 'lb-typo'"), `${REJECTED} shows the reason "${reason}"`);
  await screenshot(page, "resources");

  step("instances: stop one by keyboard, the page follows it to stopped");
  await follow(page, 'nav a[href="#/instances"]');
  expect(await cellText(page, "Instances", INSTANCE, 3) === "running", `${INSTANCE} is not running on the page`);
  await screenshot(page, "instances");
  await follow(page, `a[href="#/instances/${INSTANCE}"]`);
  await waitForFact(page, "State", "running");
  await press(page, "Stop");
  await waitForFact(page, "State", "stopped");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("stop: operation "), { timeout: 5000 });
  await screenshot(page, "instance");

  step("test-migrate another to the provider zone from its page: the migration page says a cutover would succeed");
  await page.goto(new URL(`#/instances/${MOVER}`, page.url()).toString());
  await waitForFact(page, "State", "running");
  await page.select("#migrate-zone", TARGET_ZONE);
  await page.focus("#migrate-test");
  await page.keyboard.press("Space");
  await page.focus('form[aria-label="Migrate"] button[type="submit"]');
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash.startsWith("#/migrations/"), { timeout: 15000 });
  await waitForFact(page, "Status", "succeeded", 90000);
  await waitForFact(page, "Mode", "test");
  await waitForFact(page, "Cutover would succeed", "yes");
  await screenshot(page, "migration-test");

  step("then migrate it for real; the migration page follows the phases to the end");
  await page.goto(new URL(`#/instances/${MOVER}`, page.url()).toString());
  await waitForFact(page, "State", "running");
  await page.select("#migrate-zone", TARGET_ZONE);
  await page.focus('form[aria-label="Migrate"] button[type="submit"]');
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash.startsWith("#/migrations/"), { timeout: 15000 });
  await waitForFact(page, "Status", "succeeded", 90000);
  const phases = await page.$$eval('table[aria-label="Phases"] tbody tr', (rows) => rows.map((r) => r.cells[0].textContent));
  expect(phases.join(",") === "preflight,quiesce,save,upload,restore,verify,commit,cleanUp", `the phases shown are ${phases}`);
  const bar = await page.$eval("#migration-bytes", (p) => ({ value: p.value, max: p.max }));
  expect(bar.max > 1 && bar.value === bar.max, `the bytes bar is at ${bar.value} of ${bar.max}`);
  await screenshot(page, "migration");
  await follow(page, 'nav a[href="#/migrations"]');
  expect(await page.waitForFunction((mover) => [...document.querySelectorAll('table[aria-label="Migrations"] tbody tr')]
    .some((r) => r.cells[1].textContent === mover && r.cells[5].textContent === "succeeded"), { timeout: 15000 }, MOVER), "the migration is not listed");
  await screenshot(page, "migrations");

  step("stacks: the failed stack's items and timeline, then Roll back by keyboard");
  await follow(page, 'nav a[href="#/stacks"]');
  expect(await cellText(page, "Stacks", STACK, 1) === "failed", `${STACK} is not failed on the page`);
  await screenshot(page, "stacks");
  await follow(page, `a[href="#/stacks/${STACK}"]`);
  expect(await cellText(page, "Items", "appliance:bad", 2) === "failed", "the failing appliance step is not shown failed");
  expect(await cellText(page, "Items", "instance:web:1", 2) === "applied", "the stack's instance is not shown applied");
  const journal = await page.$$eval('section[aria-label="Timeline"] li', (items) => items.map((li) => li.textContent));
  expect(journal.some((line) => line.includes("instance:web:1 apply:begin")), `the timeline lacks the instance's step: ${journal.join(" | ")}`);
  expect(journal.some((line) => line.includes("appliance:bad apply:done")), `the timeline lacks the failed step: ${journal.join(" | ")}`);
  await press(page, "Roll back");
  await waitForFact(page, "Status", "rolledBack", 90000);
  // Undone items leave the stack; the timeline says how each was undone.
  await page.waitForSelector('section[aria-label="Items"]', { timeout: 15000 });
  const undone = await page.$$eval('section[aria-label="Timeline"] li', (items) => items.map((li) => li.textContent));
  expect(undone.some((line) => line.includes("instance:web:1 undo:done: done: terminate instance") && line.endsWith("(succeeded)")),
    `the timeline lacks the instance's undo: ${undone.join(" | ")}`);
  await screenshot(page, "stack");

  step("operations: the stuck ping is flagged with what it waits on");
  await follow(page, 'nav a[href="#/operations"]');
  const stuck = await cellText(page, "Operations", STUCK.slice(0, 8), 4);
  expect(stuck.includes(`waiting on agent group ${SILENT_ZONE} for agent.ping`) && stuck.endsWith("never heard from"), `the stuck column says "${stuck}"`);
  await screenshot(page, "operations");
  await follow(page, `a[href="#/operations/${STUCK}"]`);
  const alert = await page.waitForSelector('p.stuck[role="alert"]', { timeout: 15000 }).then((handle) => handle.evaluate((p) => p.textContent));
  expect(alert.startsWith("Stuck since ") && alert.includes(SILENT_ZONE), `the operation page says "${alert}"`);
  await screenshot(page, "operation");
});

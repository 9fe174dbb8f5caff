// Continue a failed rollback from the console: the stack's page names the failed undo, offers to keep it (unticked
// here), and Continue rollback by keyboard ends the stack rolled back. The C# test then reads the device.
// Environment (besides browser.mjs's): STACK (rollbackFailed), ITEM (its failed undo).
import { cellText, follow, press, run, screenshot, signIn, step, waitForFact } from "./browser.mjs";

const { STACK, ITEM } = process.env;
await run(async (page) => {
  await signIn(page);

  step("the stack's page shows the failed undo and offers to keep it");
  await follow(page, 'nav a[href="#/stacks"]');
  await follow(page, `a[href="#/stacks/${STACK}"]`);
  await waitForFact(page, "Status", "rollbackFailed");
  const state = await cellText(page, "Items", ITEM, 2);
  if (state !== "undoFailed") {
    throw new Error(`${ITEM} is ${state} on the page, not undoFailed`);
  }

  const keep = await page.$eval(`input[id="skip-${ITEM}"]`, (box) => ({ checked: box.checked, label: document.querySelector(`label[for="${box.id}"]`)?.textContent }))
    .catch(() => null);
  if (!keep || keep.checked || !keep.label?.startsWith(`${ITEM}: `)) {
    throw new Error(`no unticked, labelled box to keep ${ITEM}: ${JSON.stringify(keep)}`);
  }

  await screenshot(page, "stack-rollback-failed");

  step("Continue rollback, keeping nothing: the stack ends rolled back");
  await press(page, "Continue rollback");
  await waitForFact(page, "Status", "rolledBack", 90000);
  const journal = await page.$$eval('section[aria-label="Timeline"] li', (items) => items.map((li) => li.textContent));
  if (!journal.some((line) => line.includes(`${ITEM} undo:done`) && line.endsWith("(succeeded)"))) {
    throw new Error(`the timeline shows no successful undo of ${ITEM}: ${journal.join(" | ")}`);
  }

  await screenshot(page, "stack-continued");
});

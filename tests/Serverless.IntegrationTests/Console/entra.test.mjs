// Entra ID sign-in in the console against the stand-in authority: an answer this tab did not ask for is refused before
// any token request; "Sign in with Microsoft" goes to the authorization endpoint and back, the code is redeemed with
// the PKCE verifier, the answer leaves the address, and the zones page lists the signed-in directory's zone only.
// Environment (besides browser.mjs's): ZONE (the user's tenant's zone), OTHER_ZONE (another tenant's).
import { run, screenshot, step } from "./browser.mjs";

const { CONSOLE_URL, KEY, ZONE, OTHER_ZONE } = process.env;
const zones = (page) => page.$$eval('table[aria-label="Zones"] tbody tr', (rows) => rows.map((row) => row.cells[0].textContent));

await run(async (page) => {
  step("an answer with a state other than the one this tab sent is refused, and leaves the address");
  await page.goto(CONSOLE_URL, { waitUntil: "load" });
  await page.evaluate((key) => sessionStorage.setItem("hybrid.entra.pending", JSON.stringify({ verifier: "v".repeat(43), state: "sent", key })), KEY);
  await page.goto(`${CONSOLE_URL}?code=forged&state=forged`, { waitUntil: "load" });
  await page.waitForFunction(() => document.querySelector("dialog#sign-in[open]")
    && document.getElementById("sign-in-error").textContent.includes("does not belong to a sign-in started in this tab"), { timeout: 15000 });
  if (new URL(page.url()).search !== "") {
    throw new Error(`the refused answer stayed in the address: ${page.url()}`);
  }

  await screenshot(page, "entra-refused");

  step("the Functions key, then Sign in with Microsoft, by keyboard: to the authority and back, signed in");
  await page.waitForSelector("#entra-sign-in-button", { visible: true, timeout: 15000 });
  await page.type("#functions-key", KEY);
  await page.focus("#entra-sign-in-button");
  await page.keyboard.press("Enter");
  await page.waitForFunction((zone) => [...document.querySelectorAll('table[aria-label="Zones"] tbody tr')]
    .some((row) => row.cells[0].textContent === zone), { timeout: 20000 }, ZONE);
  const listed = await zones(page);
  if (listed.includes(OTHER_ZONE)) {
    throw new Error(`the zones page lists another directory's zone: ${listed}`);
  }

  const url = new URL(page.url());
  const kept = await page.evaluate(() => ({ token: sessionStorage.getItem("hybrid.token")?.split(".").length, expires: Number(sessionStorage.getItem("hybrid.expires")) }));
  if (url.search !== "" || kept.token !== 3 || !(kept.expires > Date.now())) {
    throw new Error(`after sign-in the address is ${url} and the tab keeps ${JSON.stringify(kept)}`);
  }

  const policy = await page.evaluate(async () => (await fetch(location.href)).headers.get("content-security-policy"));
  console.log(`zones: ${listed}; content security policy: ${policy}`);
  await screenshot(page, "entra-signed-in");

  step("sign out: the sign-in dialog again");
  await page.click("#sign-out");
  await page.waitForSelector("dialog#sign-in[open]", { timeout: 15000 });
});

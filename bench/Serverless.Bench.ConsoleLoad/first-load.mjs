// One cold load of the console's pool page in a fresh headless Chromium (Debian's package, through puppeteer-core),
// the credential already in sessionStorage: from navigation start to the chart holding the member's readings. Prints
// JSON: milliseconds, bytes (encoded, over the wire), requests, readings. Environment: CONSOLE_URL, KEY, POOL, MEMBER,
// COMPRESSED (0: ask for Accept-Encoding identity), CHROMIUM.
import puppeteer from "puppeteer-core";

const { CONSOLE_URL, KEY, POOL, MEMBER, COMPRESSED, CHROMIUM } = process.env;
const browser = await puppeteer.launch({ executablePath: CHROMIUM || "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (COMPRESSED === "0") {
    await cdp.send("Network.setExtraHTTPHeaders", { headers: { "Accept-Encoding": "identity" } });
  }

  let bytes = 0;
  let requests = 0;
  cdp.on("Network.loadingFinished", (event) => {
    bytes += event.encodedDataLength;
    requests++;
  });
  await page.evaluateOnNewDocument((key) => {
    sessionStorage.setItem("hybrid.kind", "key");
    sessionStorage.setItem("hybrid.credential", key);
  }, KEY);
  await page.goto(`${CONSOLE_URL}#/pools/${POOL}`, { waitUntil: "domcontentloaded" });
  const readings = await page.waitForFunction((member) => {
    const chart = window.Chart?.getChart(document.getElementById("pool-chart"));
    const data = chart?.data.datasets.find((d) => d.label === member)?.data;
    return data?.length > 0 ? data.length : false;
  }, { timeout: 30000, polling: "raf" }, MEMBER).then((handle) => handle.jsonValue());
  const milliseconds = await page.evaluate(() => performance.now());
  console.log(JSON.stringify({ milliseconds, bytes, requests, readings }));
} finally {
  await browser.close();
}

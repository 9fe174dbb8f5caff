// The console: a few pages over the tenant's API, with the credential the user signs in with (kept in this tab's
// sessionStorage only). Plain modules and Chart.js; every page reads the API afresh and the pool page every 5 s.
const main = document.getElementById("main");
const dialog = document.getElementById("sign-in");
const api = new URL("../v1/", document.baseURI);
let refresh = null;

function credential() {
  const kind = sessionStorage.getItem("hybrid.kind");
  const value = sessionStorage.getItem("hybrid.credential");
  return kind && value ? { kind, value } : null;
}

async function get(path) {
  const signedIn = credential();
  if (!signedIn) {
    throw new SignInNeeded();
  }

  const headers = signedIn.kind === "key" ? { "x-functions-key": signedIn.value } : { authorization: `Bearer ${signedIn.value}` };
  const response = await fetch(new URL(path, api), { headers });
  if (response.status === 401 || response.status === 403) {
    throw new SignInNeeded("The API refused the credential.");
  }

  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(problemLine(response.status, body));
  }

  return body;
}

class SignInNeeded extends Error {}

function problemLine(status, problem) {
  const fields = problem?.errors ? Object.entries(problem.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`) : [];
  return [`${status} ${problem?.title ?? ""}`.trim(), problem?.detail, ...fields].filter(Boolean).join("; ");
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }

  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function table(label, headings, rows) {
  return element("table", { "aria-label": label },
    element("caption", {}, label),
    element("thead", {}, element("tr", {}, ...headings.map((h) => element("th", { scope: "col" }, h)))),
    element("tbody", {}, ...rows.map((cells) => element("tr", {}, ...cells.map((cell) => element("td", {}, cell))))));
}

function badge(kind, value) {
  return element("span", { class: `${kind}-${value}` }, value);
}

function ago(at) {
  return at ? `${Math.max(0, Math.round((Date.now() - Date.parse(at)) / 1000))} s ago` : "never";
}

async function zonesPage() {
  const zones = (await get("zones?pageSize=200")).items;
  const groups = await Promise.all(zones.map((zone) => get(`zones/${encodeURIComponent(zone.name)}/agents`).catch(() => null)));
  return [
    element("h2", {}, "Zones"),
    table("Zones", ["Zone", "Kind", "Site", "Agents", "Last heard"], zones.map((zone, i) => [
      zone.name, zone.kind, zone.site ?? "",
      groups[i] ? badge("status", groups[i].status) : "no agents",
      groups[i] ? ago(groups[i].lastHeardAt) : "",
    ])),
    ...zones.filter((_, i) => groups[i]?.agents.length).map((zone) => {
      const group = groups[zones.indexOf(zone)];
      return table(`Agents of ${zone.name}`, ["Agent", "Host", "Version", "Last heartbeat"],
        group.agents.map((agent) => [agent.agentId, agent.hostName ?? "", agent.agentVersion ?? "", ago(agent.lastHeartbeatAt)]));
    }),
  ];
}

async function poolsPage() {
  const pools = (await get("pools?pageSize=200")).items;
  return [
    element("h2", {}, "Pools"),
    table("Pools", ["Pool", "Service", "Members", "Active", "Metric"], pools.map((pool) => [
      element("a", { href: `#/pools/${encodeURIComponent(pool.id)}` }, pool.id),
      pool.serviceKind, String(pool.members.length), String(pool.members.filter((m) => m.state === "active").length), pool.policy.metric,
    ])),
  ];
}

async function poolPage(id) {
  const [pool, metrics, events] = await Promise.all([
    get(`pools/${encodeURIComponent(id)}`),
    get(`pools/${encodeURIComponent(id)}/metrics?minutes=15`),
    get(`pools/${encodeURIComponent(id)}/events?pageSize=20`),
  ]);
  const canvas = element("canvas", { id: "pool-chart", role: "img", "aria-label": `${metrics.metric} of each member against the thresholds, last 15 minutes` });
  const page = [
    element("h2", {}, `Pool ${pool.id}`),
    element("p", {}, `${pool.serviceKind}: ${metrics.metric}, activate above ${metrics.activateAbove}, deactivate below ${metrics.deactivateBelow}; active ${pool.policy.minActive} to ${pool.policy.maxActive}.`),
    element("div", { class: "chart" }, canvas),
    table("Members", ["Member", "Zone", "State", "Latest"], pool.members.map((m) => [
      m.id, m.zone, badge("state", m.state), m.latestMetric === null || m.latestMetric === undefined ? "" : String(m.latestMetric),
    ])),
    table("Decisions", ["At", "Kind", "Reason", "Load"], events.items.map((e) => [
      new Date(e.at).toLocaleTimeString(), e.kind, e.reason, e.load === null || e.load === undefined ? "" : String(Math.round(e.load * 100) / 100),
    ])),
  ];
  queueMicrotask(() => drawPoolChart(canvas, metrics));
  return page;
}

// Members' lines: distinguishable colours (the Okabe–Ito palette), none of them the thresholds' red or green.
const palette = ["#0072b2", "#e69f00", "#56b4e9", "#cc79a7", "#f0e442", "#000000"];

function drawPoolChart(canvas, metrics) {
  const since = Date.parse(metrics.since);
  const now = Date.now();
  const line = (label, value, color) => ({ label, data: [{ x: since, y: value }, { x: now, y: value }], borderColor: color, borderDash: [6, 4], pointRadius: 0 });
  new Chart(canvas, {
    type: "line",
    data: {
      datasets: [
        ...metrics.members.map((member, i) => ({
          label: member.id,
          data: member.readings.map((r) => ({ x: Date.parse(r.at), y: r.value })),
          borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length],
          pointRadius: 2,
        })),
        line("activate above", metrics.activateAbove, "#a4161a"),
        line("deactivate below", metrics.deactivateBelow, "#11662b"),
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        x: { type: "linear", min: since, max: now, ticks: { callback: (value) => new Date(value).toLocaleTimeString() } },
        y: { beginAtZero: true, title: { display: true, text: metrics.metric } },
      },
    },
  });
}

async function render() {
  clearInterval(refresh);
  const route = location.hash.replace(/^#\/?/, "") || "zones";
  for (const link of document.querySelectorAll("nav a")) {
    link.toggleAttribute("aria-current", route.startsWith(link.getAttribute("href").slice(2)));
    if (link.hasAttribute("aria-current")) {
      link.setAttribute("aria-current", "page");
    }
  }

  const [section, id] = route.split("/");
  try {
    const content = section === "pools" && id ? await poolPage(decodeURIComponent(id))
      : section === "pools" ? await poolsPage()
      : await zonesPage();
    main.replaceChildren(...content);
    if (section === "pools" && id) {
      refresh = setInterval(() => render(), 5000);
    }
  } catch (error) {
    if (error instanceof SignInNeeded) {
      document.getElementById("sign-in-error").textContent = error.message;
      dialog.showModal();
      return;
    }

    main.replaceChildren(element("p", { class: "error", role: "alert" }, error.message));
  }
}

document.getElementById("sign-in-form").addEventListener("submit", () => {
  sessionStorage.setItem("hybrid.kind", document.getElementById("credential-kind").value);
  sessionStorage.setItem("hybrid.credential", document.getElementById("credential").value);
  document.getElementById("sign-in-error").textContent = "";
  render();
});
document.getElementById("sign-out").addEventListener("click", () => {
  sessionStorage.clear();
  render();
});
window.addEventListener("hashchange", render);
window.addEventListener("load", render);

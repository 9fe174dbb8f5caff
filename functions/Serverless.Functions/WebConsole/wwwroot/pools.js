import { get, id } from "./api.js";
import { badge, element, facts, link, table, time } from "./ui.js";

export async function poolsPage() {
  const pools = (await get("pools?pageSize=200")).items;
  return {
    content: [
      element("h2", {}, "Pools"),
      table("Pools", ["Pool", "Service", "Members", "Active", "Metric"], pools.map((pool) => [
        link(`#/pools/${id(pool.id)}`, pool.id),
        pool.serviceKind, String(pool.members.length), String(pool.members.filter((m) => m.state === "active").length), pool.policy.metric,
      ])),
    ],
  };
}

export async function poolPage(poolId) {
  const [pool, metrics, events] = await Promise.all([
    get(`pools/${id(poolId)}`),
    get(`pools/${id(poolId)}/metrics?minutes=15`),
    get(`pools/${id(poolId)}/events?pageSize=200`),
  ]);
  const canvas = element("canvas", {
    id: "pool-chart", role: "img",
    "aria-label": `${metrics.metric} of each member against the thresholds, and the number of active members, last 15 minutes`,
  });
  const activations = activeOverTime(pool, events.items, Date.parse(metrics.since));
  return {
    refresh: 5000,
    content: [
      element("h2", {}, `Pool ${pool.id}`),
      element("p", {}, `${pool.serviceKind}: ${metrics.metric}, activate above ${metrics.activateAbove}, deactivate below ${metrics.deactivateBelow}; active ${pool.policy.minActive} to ${pool.policy.maxActive}.`),
      element("div", { class: "chart" }, canvas),
      table("Members", ["Member", "Zone", "State", "Latest", "Cost per hour"], pool.members.map((m) => [
        m.id, m.zone, badge("state", m.state), m.latestMetric === null || m.latestMetric === undefined ? "" : String(m.latestMetric),
        m.costPerHour === undefined ? "" : String(m.costPerHour),
      ])),
      ...(pool.schedule ? [scheduleTable(pool)] : []),
      ...(pool.spend ? [spendFacts(pool.spend)] : []),
      table("Decisions", ["At", "Kind", "Reason", "Load", "Changes"], events.items.slice(0, 20).map((e) => [
        time(e.at), e.kind, e.reason, e.load === null || e.load === undefined ? "" : String(Math.round(e.load * 100) / 100),
        e.changes.map((c) => `${c.memberId}: ${c.from} → ${c.to}`).join(", "),
      ])),
    ],
    after: () => drawPoolChart(canvas, metrics, activations),
  };
}

function scheduleTable(pool) {
  const windows = new Map(pool.policy.schedule.map((w) => [w.name, w]));
  return table("Schedule", ["Window", "In force", "Takes effect", "Lead", "Starts", "Ends", "Active"], pool.schedule.map((s) => {
    const w = windows.get(s.name);
    return [s.name, s.inForce ? "yes" : "no", s.effectiveAt ? time(s.effectiveAt) : "never again", `${s.leadSeconds} s${w.measuredLead ? " (measured)" : ""}`,
      s.startsAt ? time(s.startsAt) : "", s.endsAt ? time(s.endsAt) : "",
      `${w.minActive ?? pool.policy.minActive} to ${w.maxActive ?? pool.policy.maxActive} (${w.cron}, ${w.timeZone})`];
  }));
}

function spendFacts(spend) {
  const money = (value) => (Math.round(value * 100) / 100).toString();
  return element("section", { "aria-label": "Spend" }, element("h3", {}, "Spend"), facts("Spend figures", [
    ["This month", money(spend.spentThisMonth)],
    ["Running members", `${money(spend.ratePerHour)} per hour`],
    ["Month at this rate", money(spend.projectedForMonth)],
    ["Budget per hour", spend.budget?.perHour === undefined ? null : money(spend.budget.perHour)],
    ["Budget per month", spend.budget?.perMonth === undefined ? null : money(spend.budget.perMonth)],
    ["Holding back activations", spend.heldByBudget ? "yes: the load asks for more than the budget allows" : "no"],
  ]));
}

// The active members' count over the window, as steps: today's count, walked back through the decision log (newest
// first) undoing each change into or out of "active".
function activeOverTime(pool, events, since) {
  let active = pool.members.filter((m) => m.state === "active").length;
  const steps = [{ x: Date.now(), y: active }];
  for (const event of events) {
    const at = Date.parse(event.at);
    if (at < since) {
      break;
    }

    steps.unshift({ x: at, y: active });
    for (const change of event.changes) {
      active += (change.from === "active" ? 1 : 0) - (change.to === "active" ? 1 : 0);
    }
  }

  steps.unshift({ x: since, y: active });
  return steps;
}

// Members' lines: distinguishable colours (the Okabe–Ito palette), none of them the thresholds' red or green.
const palette = ["#0072b2", "#e69f00", "#56b4e9", "#cc79a7", "#f0e442", "#000000"];

function drawPoolChart(canvas, metrics, activations) {
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
        { label: "active members", data: activations, stepped: "after", yAxisID: "active", borderColor: "#5a5a5a", borderWidth: 3, pointRadius: 0 },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        x: { type: "linear", min: since, max: now, ticks: { callback: (value) => new Date(value).toLocaleTimeString() } },
        y: { beginAtZero: true, title: { display: true, text: metrics.metric } },
        active: { position: "right", beginAtZero: true, ticks: { precision: 0 }, grid: { drawOnChartArea: false }, title: { display: true, text: "active members" } },
      },
    },
  });
}

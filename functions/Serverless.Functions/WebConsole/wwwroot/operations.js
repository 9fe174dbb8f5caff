import { get, id } from "./api.js";
import { badge, element, facts, table, time } from "./ui.js";

const unfinished = ["pending", "running"];

export async function operationsPage() {
  // The unfinished ones whenever they began, and the last day's others: the list comes in id order, not by time.
  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  const [unfinishedPage, recentPage] = await Promise.all([
    get("operations?status=pending,running&pageSize=200"),
    get(`operations?createdAfter=${encodeURIComponent(since)}&pageSize=200`),
  ]);
  const byId = new Map([...recentPage.items, ...unfinishedPage.items].map((o) => [o.id, o]));
  const operations = [...byId.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const stuck = operations.filter((o) => o.stuck);
  return {
    refresh: operations.some((o) => unfinished.includes(o.status)) ? 5000 : null,
    content: [
      element("h2", {}, "Operations"),
      element("p", {}, "Unfinished operations and those of the last 24 hours, newest first."),
      stuck.length
        ? element("p", { class: "error", role: "status" }, `${stuck.length} operation${stuck.length === 1 ? " makes" : "s make"} no progress.`)
        : null,
      table("Operations", ["Operation", "Workflow", "Status", "Progress", "Stuck", "Created", "Last update"], operations.map((o) => [
        element("a", { href: `#/operations/${o.id}` }, o.id.slice(0, 8)), o.name, badge("status", o.status), summary(o.progress),
        o.stuck ? element("span", { class: "stuck" }, o.stuck.reason) : "", time(o.createdAt), time(o.lastUpdatedAt),
      ])),
    ],
  };
}

export async function operationPage(operationId) {
  const o = await get(`operations/${id(operationId)}`);
  return {
    refresh: unfinished.includes(o.status) ? 2000 : null,
    content: [
      element("h2", {}, `Operation ${o.id}`),
      o.stuck ? element("p", { class: "error stuck", role: "alert" }, `Stuck since ${time(o.stuck.since)}: ${o.stuck.reason}`) : null,
      facts("Operation", [
        ["Workflow", o.name],
        ["Status", badge("status", o.status)],
        ["Created", time(o.createdAt)],
        ["Last update", time(o.lastUpdatedAt)],
        ["Error", o.error ? `${o.error.type}: ${o.error.message}` : null],
      ]),
      o.progress ? element("section", { "aria-label": "Progress" }, element("h3", {}, "Progress"), element("pre", {}, JSON.stringify(o.progress, null, 2))) : null,
      o.result ? element("section", { "aria-label": "Result" }, element("h3", {}, "Result"), element("pre", {}, JSON.stringify(o.result, null, 2))) : null,
    ],
  };
}

// A workflow's progress in one line: its step (or stage) and counts when it has them.
function summary(progress) {
  if (!progress || typeof progress !== "object") {
    return progress ?? "";
  }

  const step = progress.step ?? progress.stage ?? "";
  const counts = progress.total ? ` ${progress.done ?? 0}/${progress.total}` : "";
  return `${step}${counts}`;
}

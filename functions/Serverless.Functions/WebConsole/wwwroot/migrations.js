import { get, id } from "./api.js";
import { badge, bytes, element, facts, link, table, time } from "./ui.js";

export async function migrationsPage() {
  const migrations = (await get("migrations")).items;
  return {
    refresh: migrations.some((m) => m.status === "running") ? 3000 : null,
    content: [
      element("h2", {}, "Migrations"),
      table("Migrations", ["Migration", "Instance", "From", "To", "Phase", "Status", "Moved", "Started"], migrations.map((m) => [
        link(`#/migrations/${m.id}`, m.id), link(`#/instances/${id(m.instance)}`, m.instance), `${m.source.zone} / ${m.source.host}`,
        `${m.target.zone ?? ""} / ${m.target.host ?? ""}`, m.phase, badge("status", m.status), bytes(m.bytes.moved), time(m.createdAt),
      ])),
    ],
  };
}

export async function migrationPage(migrationId) {
  const m = await get(`migrations/${id(migrationId)}`);
  // Moved counts the upload and the download: the whole is twice what is saved.
  const total = 2 * ((m.bytes.state ?? 0) + (m.bytes.disk ?? 0));
  return {
    refresh: m.status === "running" ? 2000 : null,
    content: [
      element("h2", {}, `Migration of ${m.instance}`),
      facts("Migration", [
        ["Status", badge("status", m.status)],
        ["Phase", element("span", { id: "migration-phase" }, m.phase)],
        ["Mode", m.mode],
        ["Cutover would succeed", m.cutoverWouldSucceed === undefined ? null : m.cutoverWouldSucceed ? "yes" : "no"],
        ["Reason", m.reason],
        ["From", `${m.source.zone} / ${m.source.host}`],
        ["To", `${m.target.zone ?? ""} / ${m.target.host ?? ""}`],
        ["State image", bytes(m.bytes.state)],
        ["Disk", bytes(m.bytes.disk)],
        ["Operation", link(`#/operations/${m.id}`, m.id)],
      ]),
      element("label", { for: "migration-bytes" }, `Bytes moved: ${bytes(m.bytes.moved)}${total ? ` of ${bytes(total)}` : ""}`),
      element("progress", { id: "migration-bytes", max: String(total || 1), value: String(Math.min(m.bytes.moved, total || 1)) }),
      m.refusals.length ? element("section", { "aria-label": "Refusals" }, element("h3", {}, "Refused because"), element("ul", {}, ...m.refusals.map((r) => element("li", {}, r)))) : null,
      table("Phases", ["Phase", "Started", "Ended", "Seconds"], m.phases.map((p) => [
        p.phase, time(p.startedAt), time(p.endedAt), p.seconds === null || p.seconds === undefined ? "" : p.seconds.toFixed(2),
      ])),
    ],
  };
}

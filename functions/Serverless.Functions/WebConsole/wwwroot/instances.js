import { get, id, post, remove } from "./api.js";
import { actionButton, announce, badge, element, facts, link, table, time } from "./ui.js";

export async function instancesPage() {
  const instances = (await get("instances?pageSize=200")).items;
  return {
    refresh: instances.some(inFlight) ? 3000 : null,
    content: [
      element("h2", {}, "Instances"),
      element("p", {}, "Instances in provider and client zones, under one API."),
      table("Instances", ["Instance", "Zone", "Host", "State", "Size", "Image", "Host reports", "Updated"], instances.map((i) => [
        link(`#/instances/${id(i.name)}`, i.name), i.zone ?? "", i.host ?? "", badge("state", i.state),
        `${i.size.vcpus} vCPU, ${i.size.memoryMiB} MiB`, i.image ?? (i.adopted ? "adopted" : ""), i.observed ?? "", time(i.updatedAt),
      ])),
    ],
  };
}

function inFlight(instance) {
  return ["pending", "starting", "stopping", "migrating", "terminating"].includes(instance.state) || instance.pendingAction;
}

// What each state allows, as the API does; the API still decides (and says why when it refuses).
const actions = {
  running: ["stop", "restart", "suspend"],
  stopped: ["start"],
  suspended: ["resume", "stop"],
};

export async function instancePage(name) {
  const [instance, migrations, zones] = await Promise.all([
    get(`instances/${id(name)}`),
    get(`migrations?instance=${id(name)}`),
    get("zones?pageSize=200"),
  ]);
  const act = (action) => actionButton(action[0].toUpperCase() + action.slice(1), async () => {
    const accepted = await post(`instances/${id(name)}/${action}`);
    announce(accepted.operationId ? `${action}: operation ${accepted.operationId} accepted.` : `${action}: already in effect.`);
    await rerender();
  });
  const terminable = ["running", "stopped", "suspended", "failed"].includes(instance.state);
  const targets = zones.items.filter((z) => z.name !== instance.zone);
  const zoneChoice = element("select", { id: "migrate-zone" }, ...targets.map((z) => element("option", { value: z.name }, `${z.name} (${z.kind})`)));
  // A test migration runs a detached copy at the target and removes it; the instance stays where it is.
  const testOnly = element("input", { id: "migrate-test", type: "checkbox" });
  return {
    refresh: inFlight(instance) ? 2000 : null,
    content: [
      element("h2", {}, `Instance ${instance.name}`),
      facts("Instance", [
        ["State", badge("state", instance.state)],
        ["Reason", instance.reason],
        ["Pending action", instance.pendingAction],
        ["Zone", instance.zone],
        ["Host", instance.host],
        ["Size", `${instance.size.vcpus} vCPU, ${instance.size.memoryMiB} MiB`],
        ["Image", instance.image],
        ["Host reports", instance.observed ? `${instance.observed} (${time(instance.observedAt)})` : null],
        ["Tags", Object.entries(instance.tags).map(([k, v]) => `${k}=${v}`).join(", ")],
        ["Last operation", link(`#/operations/${instance.operationId}`, instance.operationId)],
      ]),
      element("section", { "aria-label": "Actions", class: "actions" },
        element("h3", {}, "Actions"),
        ...(actions[instance.state] ?? []).map(act),
        terminable ? actionButton("Terminate", async () => {
          const accepted = await remove(`instances/${id(name)}`);
          announce(`terminate: operation ${accepted.operationId} accepted.`);
          await rerender();
        }, { confirm: "Confirm terminate" }) : null),
      instance.state === "running" && targets.length ? element("form", {
        class: "actions", "aria-label": "Migrate",
        onsubmit: async (event) => {
          event.preventDefault();
          try {
            const accepted = await post(`instances/${id(name)}/migrations`, { targetZone: zoneChoice.value, ...(testOnly.checked ? { mode: "test" } : {}) });
            location.hash = `#/migrations/${accepted.migrationId}`;
          } catch (error) {
            announce(error.message, true);
          }
        },
      }, element("h3", {}, "Migrate"), element("label", { for: "migrate-zone" }, "Target zone"), zoneChoice,
        testOnly, element("label", { for: "migrate-test" }, "Test only (a detached copy at the target; the instance stays)"), element("button", { type: "submit" }, "Migrate")) : null,
      table("Migrations", ["Migration", "From", "To", "Phase", "Status", "Started"], migrations.items.map((m) => [
        link(`#/migrations/${m.id}`, m.id), `${m.source.zone} / ${m.source.host ?? ""}`, `${m.target.zone ?? ""} / ${m.target.host ?? ""}`, m.phase, badge("status", m.status), time(m.createdAt),
      ]), "No migrations."),
    ],
  };
}

async function rerender() {
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

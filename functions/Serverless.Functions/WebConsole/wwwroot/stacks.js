import { get, id, post, remove } from "./api.js";
import { actionButton, announce, badge, element, facts, link, table, time } from "./ui.js";

const busy = ["rollingOut", "rollingBack", "deleting"];

export async function stacksPage() {
  const stacks = (await get("stacks?pageSize=200")).items;
  return {
    refresh: stacks.some((s) => busy.includes(s.status)) ? 3000 : null,
    content: [
      element("h2", {}, "Stacks"),
      table("Stacks", ["Stack", "Status", "Version", "Reason", "Updated"], stacks.map((s) => [
        link(`#/stacks/${id(s.name)}`, s.name), badge("status", s.status), String(s.version), s.reason ?? "", time(s.updatedAt),
      ])),
    ],
  };
}

export async function stackPage(name) {
  const [stack, events] = await Promise.all([get(`stacks/${id(name)}`), get(`stacks/${id(name)}/events?pageSize=200`)]);
  const started = async (what, accepted) => {
    announce(`${what}: operation ${accepted.operationId} accepted.`);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  };
  const failedUndos = stack.items.filter((i) => i.state === "undoFailed");
  const skipBoxes = failedUndos.map((item) => element("input", { type: "checkbox", id: `skip-${item.key}`, value: item.key }));
  const actions = [];
  if (stack.status === "failed") {
    actions.push(actionButton("Retry", async () => started("retry", await post(`stacks/${id(name)}/retry`))));
    actions.push(actionButton("Roll back", async () => started("rollback", await post(`stacks/${id(name)}/rollback`))));
  }

  if (stack.status === "rollbackFailed") {
    actions.push(element("fieldset", {},
      element("legend", {}, "Keep these items (skip their undo; they are listed as retained)"),
      ...failedUndos.map((item, i) => element("div", {}, skipBoxes[i], element("label", { for: `skip-${item.key}` }, `${item.key}: ${item.reason ?? ""}`)))));
    actions.push(actionButton("Continue rollback", async () => started("continue-rollback",
      await post(`stacks/${id(name)}/continue-rollback`, { skip: skipBoxes.filter((box) => box.checked).map((box) => box.value) }))));
  }

  if (!busy.includes(stack.status) && stack.status !== "deleted") {
    actions.push(actionButton("Delete stack", async () => started("delete", await remove(`stacks/${id(name)}`)), { confirm: "Confirm delete: undo everything the stack owns" }));
  }

  return {
    refresh: busy.includes(stack.status) ? 2000 : null,
    content: [
      element("h2", {}, `Stack ${stack.name}`),
      facts("Stack", [
        ["Status", badge("status", stack.status)],
        ["Reason", stack.reason],
        ["Version", String(stack.version)],
        ["Last operation", stack.operationId ? link(`#/operations/${stack.operationId}`, stack.operationId) : null],
        ...Object.entries(stack.outputs).map(([output, values]) => [`Output ${output}`, values.join(", ")]),
      ]),
      actions.length ? element("section", { "aria-label": "Actions", class: "actions" }, element("h3", {}, "Actions"), ...actions) : null,
      table("Items", ["Item", "Kind", "State", "Run", "Zone", "Host", "Instance", "Reason", "Updated"], stack.items.map((item) => [
        item.key, item.kind, badge("state", item.state), String(item.run), item.zone ?? "", item.host ?? "",
        item.instance ? link(`#/instances/${id(item.instance)}`, item.instance) : item.appliance ?? item.pool ?? "", item.reason ?? "", time(item.updatedAt),
      ])),
      timeline(events.items),
    ],
  };
}

// The journal as a timeline, one list per run: before each step what it will do, after it the outcome.
function timeline(events) {
  const runs = Map.groupBy(events, (e) => e.run);
  return element("section", { "aria-label": "Timeline", class: "timeline" },
    element("h3", {}, "Timeline"),
    ...[...runs.entries()].map(([run, entries]) => element("section", { "aria-label": `Run ${run}` },
      element("h4", {}, `Run ${run}`),
      element("ol", {}, ...entries.map((e) => element("li", { class: e.outcome ? `outcome-${e.outcome}` : "" },
        element("time", { datetime: e.at }, time(e.at)), " ",
        element("strong", {}, e.item ?? "stack"), ` ${e.phase}: ${e.message}`,
        e.outcome ? element("span", { class: "outcome" }, ` (${e.outcome})`) : null,
        e.undo ? element("span", { class: "undo" }, ` undo: ${e.undo}`) : null))))));
}

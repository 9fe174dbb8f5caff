import { get } from "./api.js";
import { badge, element, link, table, time } from "./ui.js";

export async function resourcesPage() {
  const resources = (await get("resources?pageSize=200")).items;
  return {
    content: [
      element("h2", {}, "Resources"),
      element("p", {}, "Registered hosts and appliances, what verification found, and why any was rejected."),
      table("Resources", ["Resource", "Zone", "Kind", "State", "Services", "Capabilities", "Reasons", "Updated"], resources.map((r) => [
        r.id, r.zone, r.kind, badge("state", r.state), r.serviceCategories.join(", "),
        element("ul", { class: "plain" }, ...Object.entries(r.capabilities).map(([name, value]) => element("li", {}, `${name}: ${value}`))),
        r.reasons.length ? element("ul", { class: "plain reasons" }, ...r.reasons.map((reason) => element("li", {}, reason))) : "",
        element("span", {}, time(r.updatedAt), " ", link(`#/operations/${r.operationId}`, "operation")),
      ])),
    ],
  };
}

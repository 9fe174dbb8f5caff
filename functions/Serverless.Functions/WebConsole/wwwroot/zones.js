import { get, id } from "./api.js";
import { ago, badge, element, table } from "./ui.js";

export async function zonesPage() {
  const zones = (await get("zones?pageSize=200")).items;
  const groups = await Promise.all(zones.map((zone) => get(`zones/${id(zone.name)}/agents`).catch(() => null)));
  return {
    content: [
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
    ],
  };
}

// Small DOM helpers: every table has a caption and column headers, so screen readers announce what they hold.
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) {
      node.addEventListener(name.slice(2), value);
    } else if (value !== false && value !== null && value !== undefined) {
      node.setAttribute(name, value === true ? "" : value);
    }
  }

  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

export function table(label, headings, rows, empty = "None.") {
  if (rows.length === 0) {
    return element("section", { "aria-label": label }, element("h3", {}, label), element("p", {}, empty));
  }

  return element("table", { "aria-label": label },
    element("caption", {}, label),
    element("thead", {}, element("tr", {}, ...headings.map((h) => element("th", { scope: "col" }, h)))),
    element("tbody", {}, ...rows.map((cells) => element("tr", {}, ...cells.map((cell) => element("td", {}, cell ?? ""))))));
}

export function facts(label, pairs) {
  return element("dl", { "aria-label": label, class: "facts" },
    ...pairs.filter(([, value]) => value !== null && value !== undefined && value !== "").flatMap(([term, value]) => [element("dt", {}, term), element("dd", {}, value)]));
}

export function badge(kind, value) {
  return element("span", { class: `${kind}-${value}` }, value);
}

export function link(href, text) {
  return element("a", { href }, text);
}

export function ago(at) {
  return at ? `${Math.max(0, Math.round((Date.now() - Date.parse(at)) / 1000))} s ago` : "never";
}

export function time(at) {
  return at ? new Date(at).toLocaleTimeString() : "";
}

export function bytes(value) {
  if (value === null || value === undefined) {
    return "";
  }

  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let size = value;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }

  return `${unit === 0 ? size : size.toFixed(1)} ${units[unit]}`;
}

// A button that runs an action once, says it is busy meanwhile, and reports the outcome in the page's status line.
export function actionButton(label, run, { confirm = null } = {}) {
  const button = element("button", { type: "button" }, label);
  let armed = false;
  button.addEventListener("click", async () => {
    if (confirm && !armed) {
      armed = true;
      button.textContent = confirm;
      return;
    }

    button.disabled = true;
    try {
      await run();
    } catch (error) {
      announce(error.message, true);
    } finally {
      button.disabled = false;
      armed = false;
      button.textContent = label;
    }
  });
  return button;
}

export function announce(message, isError = false) {
  const status = document.getElementById("status");
  status.textContent = message;
  status.className = isError ? "error" : "";
}

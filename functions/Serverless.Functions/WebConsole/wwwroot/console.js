// The console: pages over the tenant's API, with the credential the user signs in with. Plain modules and Chart.js;
// every page reads the API afresh, and pages with something under way read it again every few seconds.
import { SignInNeeded, signIn, signOut } from "./api.js";
import { finishEntraSignIn, signInSettings, startEntraSignIn } from "./entra.js";
import { announce, element } from "./ui.js";
import { zonesPage } from "./zones.js";
import { resourcesPage } from "./resources.js";
import { poolPage, poolsPage } from "./pools.js";
import { instancePage, instancesPage } from "./instances.js";
import { stackPage, stacksPage } from "./stacks.js";
import { migrationPage, migrationsPage } from "./migrations.js";
import { operationPage, operationsPage } from "./operations.js";

const main = document.getElementById("main");
const dialog = document.getElementById("sign-in");
const pages = {
  zones: [zonesPage],
  resources: [resourcesPage],
  pools: [poolsPage, poolPage],
  instances: [instancesPage, instancePage],
  stacks: [stacksPage, stackPage],
  migrations: [migrationsPage, migrationPage],
  operations: [operationsPage, operationPage],
};
let refresh = null;
let rendering = null;

async function render() {
  clearTimeout(refresh);
  const route = location.hash.replace(/^#\/?/, "") || "zones";
  const [section, key] = route.split("/");
  for (const link of document.querySelectorAll("nav a")) {
    if (link.getAttribute("href") === `#/${section}`) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
  }

  const [list, one] = pages[section] ?? pages.zones;
  const page = key && one ? one(decodeURIComponent(key)) : list();
  rendering = page;
  try {
    const { content, refresh: every, after } = await page;
    if (rendering !== page) {
      return;
    }

    // A page read again keeps the keyboard where it was: the focused control is found again by its id or label.
    const focused = document.activeElement && main.contains(document.activeElement)
      ? { id: document.activeElement.id, text: document.activeElement.textContent }
      : null;
    main.replaceChildren(...content.filter(Boolean));
    after?.();
    if (focused) {
      const again = (focused.id && document.getElementById(focused.id))
        || [...main.querySelectorAll("button, a")].find((node) => node.textContent === focused.text);
      again?.focus();
    }

    if (every) {
      refresh = setTimeout(render, every);
    }
  } catch (error) {
    if (error instanceof SignInNeeded) {
      document.getElementById("sign-in-error").textContent = error.message;
      if (!dialog.open) {
        dialog.showModal();
      }

      return;
    }

    main.replaceChildren(element("p", { class: "error", role: "alert" }, error.message));
  }
}

document.getElementById("sign-in-form").addEventListener("submit", () => {
  signIn(document.getElementById("functions-key").value, document.getElementById("credential").value || null);
  document.getElementById("sign-in-error").textContent = "";
  render();
});
document.getElementById("entra-sign-in-button").addEventListener("click", () => {
  const key = document.getElementById("functions-key");
  if (!key.value) {
    document.getElementById("sign-in-error").textContent = "Enter the Functions key first: the API wants it with the Entra ID token.";
    key.focus();
    return;
  }

  startEntraSignIn(entra, key.value).catch((error) => {
    document.getElementById("sign-in-error").textContent = error.message;
  });
});
document.getElementById("sign-out").addEventListener("click", () => {
  signOut();
  render();
});
window.addEventListener("hashchange", () => {
  // An error belongs to the page it happened on; a note of what was accepted stays while its page is read again.
  const status = document.getElementById("status");
  if (status.className === "error") {
    status.textContent = "";
  }

  render();
});
// The dialog asks for what the app's tenancy mode wants; a page load that is an Entra ID sign-in's answer signs in
// before the first page.
let entra = null;
window.addEventListener("load", async () => {
  try {
    const settings = await signInSettings();
    entra = settings.entraId ?? null;
    document.getElementById("tenant-credential").hidden = settings.tenancy === "defaultTenant";
    document.getElementById("entra-sign-in").hidden = entra === null;
    await finishEntraSignIn(entra);
  } catch (error) {
    // A refused answer leaves whoever was signed in signed in: the reason goes where it is seen.
    await render();
    if (dialog.open) {
      document.getElementById("sign-in-error").textContent = error.message;
    } else {
      announce(error.message, true);
    }

    return;
  }

  await render();
});

// Entra ID sign-in: the authorization code flow with PKCE (RFC 7636), as a single-page application registered with
// this page's address as its redirect URI. The code verifier and the state stay in this tab's sessionStorage until the
// answer comes back; the answer is taken only with the state this tab sent, and the code is redeemed with the
// verifier, so a code that leaked on the way is worth nothing to someone else.
import { signIn } from "./api.js";

const pendingKey = "hybrid.entra.pending";

// What sign-in.json says: { tenancy, entraId: { authority, clientId, scope } } (entraId when the app offers its sign-in).
export async function signInSettings() {
  const response = await fetch("sign-in.json", { headers: { accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`The console could not read how to sign in (${response.status}).`);
  }

  return response.json();
}

const base64Url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const randomText = () => base64Url(crypto.getRandomValues(new Uint8Array(32)));
const redirectUri = () => `${location.origin}${location.pathname}`;

async function endpoints(authority) {
  const response = await fetch(`${authority}/.well-known/openid-configuration`);
  if (!response.ok) {
    throw new Error(`The sign-in authority's metadata could not be read (${response.status}).`);
  }

  return response.json();
}

// Leaves the page for the authority's sign-in; it comes back to this page with ?code&state (or ?error). The Functions
// key waits for the token with the verifier.
export async function startEntraSignIn(settings, key) {
  const { authorization_endpoint: authorize } = await endpoints(settings.authority);
  const verifier = randomText();
  const state = randomText();
  const challenge = base64Url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, key, route: location.hash }));
  const url = new URL(authorize);
  url.search = new URLSearchParams({
    client_id: settings.clientId,
    response_type: "code",
    response_mode: "query",
    redirect_uri: redirectUri(),
    scope: `openid ${settings.scope}`,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
  }).toString();
  location.assign(url);
}

// On a page load: false when the address holds no sign-in answer; true once the answer's code became an access token;
// an error saying why otherwise. The answer leaves the address either way, so a reload does not replay it.
export async function finishEntraSignIn(settings) {
  const answer = new URLSearchParams(location.search);
  if (!answer.has("code") && !answer.has("error")) {
    return false;
  }

  const started = JSON.parse(sessionStorage.getItem(pendingKey) ?? "null");
  sessionStorage.removeItem(pendingKey);
  history.replaceState(null, "", `${location.pathname}${started?.route ?? ""}`);
  if (answer.has("error")) {
    throw new Error(`Entra ID did not sign you in: ${answer.get("error_description") ?? answer.get("error")}.`);
  }

  if (!settings || !started || answer.get("state") !== started.state) {
    throw new Error("The sign-in answer does not belong to a sign-in started in this tab; sign in again.");
  }

  const { token_endpoint: tokenEndpoint } = await endpoints(settings.authority);
  const response = await fetch(tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: settings.clientId,
      grant_type: "authorization_code",
      code: answer.get("code"),
      redirect_uri: redirectUri(),
      code_verifier: started.verifier,
      scope: `openid ${settings.scope}`,
    }),
  });
  const tokens = await response.json().catch(() => null);
  if (!response.ok || !tokens?.access_token) {
    throw new Error(`Entra ID gave no token: ${tokens?.error_description ?? tokens?.error ?? response.status}.`);
  }

  signIn(started.key, tokens.access_token, Date.now() + Number(tokens.expires_in ?? 3600) * 1000);
  return true;
}

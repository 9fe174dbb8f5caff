// The API as the console calls it: with the credentials the user signed in with (this tab's sessionStorage only).
const api = new URL("../v1/", document.baseURI);

export class SignInNeeded extends Error {}

// The Functions key, and the tenant's bearer credential where the app's tenancy mode wants one; a token from a sign-in
// ends when it expires (milliseconds since the epoch), a pasted credential when the API refuses it.
export function credential() {
  const key = sessionStorage.getItem("hybrid.key");
  const token = sessionStorage.getItem("hybrid.token");
  const expires = Number(sessionStorage.getItem("hybrid.expires") ?? Infinity);
  return key && Date.now() < expires ? { key, token } : null;
}

export function signIn(key, token, expires) {
  sessionStorage.setItem("hybrid.key", key);
  for (const [name, value] of [["hybrid.token", token], ["hybrid.expires", expires]]) {
    if (value === undefined || value === null) {
      sessionStorage.removeItem(name);
    } else {
      sessionStorage.setItem(name, String(value));
    }
  }
}

export function signOut() {
  sessionStorage.clear();
}

export function problemLine(status, problem) {
  const fields = problem?.errors ? Object.entries(problem.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`) : [];
  const blocking = problem?.blockingItems ? [`blocking: ${[].concat(problem.blockingItems).map((b) => (typeof b === "string" ? b : JSON.stringify(b))).join(", ")}`] : [];
  return [`${status} ${problem?.title ?? ""}`.trim(), problem?.detail, ...fields, ...blocking].filter(Boolean).join("; ");
}

async function call(method, path, body) {
  const signedIn = credential();
  if (!signedIn) {
    throw new SignInNeeded(sessionStorage.getItem("hybrid.key") ? "Your sign-in has expired; sign in again." : "");
  }

  const headers = { "x-functions-key": signedIn.key };
  if (signedIn.token) {
    headers.authorization = `Bearer ${signedIn.token}`;
  }

  if (body !== undefined) {
    headers["content-type"] = "application/json";
  }

  const response = await fetch(new URL(path, api), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 || response.status === 403) {
    throw new SignInNeeded("The API refused the credential.");
  }

  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(problemLine(response.status, answer));
  }

  return answer;
}

export const get = (path) => call("GET", path);
export const post = (path, body = {}) => call("POST", path, body);
export const remove = (path) => call("DELETE", path);

export const id = (value) => encodeURIComponent(value);

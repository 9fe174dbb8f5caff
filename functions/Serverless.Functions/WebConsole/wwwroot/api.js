// The API as the console calls it: with the credential the user signed in with (this tab's sessionStorage only).
const api = new URL("../v1/", document.baseURI);

export class SignInNeeded extends Error {}

export function credential() {
  const kind = sessionStorage.getItem("hybrid.kind");
  const value = sessionStorage.getItem("hybrid.credential");
  return kind && value ? { kind, value } : null;
}

export function signIn(kind, value) {
  sessionStorage.setItem("hybrid.kind", kind);
  sessionStorage.setItem("hybrid.credential", value);
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
    throw new SignInNeeded();
  }

  const headers = signedIn.kind === "key" ? { "x-functions-key": signedIn.value } : { authorization: `Bearer ${signedIn.value}` };
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

// Small DOM helpers shared by the studio's scripts.

let counter = 0;

/** A fresh element id. */
export function uid(prefix = "f") {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** `el("div", {class: "x", onclick: f}, child, "text")`. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The path of a form field as a data-path attribute value. */
export function pathKey(path) {
  return path.join("/");
}

/** A plain button (never a form submit). */
export function button(label, onclick, attrs = {}) {
  return el("button", { type: "button", onclick, ...attrs }, label);
}

/** POST a form (URL-encoded, UTF-8) with the CSRF token; JSON answer (or throws with the status). */
export async function post(boot, url, fields) {
  const body = new URLSearchParams();
  body.append("csrf", boot.csrf);
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  const response = await fetch(`${url}?lang=${boot.lang}`, {
    method: "POST",
    body,
    credentials: "same-origin",
  });
  const answer = response.headers.get("Content-Type")?.includes("json")
    ? await response.json()
    : { error: await response.text() };
  if (!response.ok) {
    const message = answer.error?.message ?? answer.error ?? response.status;
    throw Object.assign(new Error(message), { answer });
  }
  return answer;
}

/** Shorten a text for a one-line summary. */
export function clip(text, size = 70) {
  const flat = String(text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > size ? `${flat.slice(0, size - 1)}…` : flat;
}

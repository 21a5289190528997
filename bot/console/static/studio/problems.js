// The draft's problems: each next to the field it is about, and a summary with links.
import { button, el, pathKey } from "./dom.js";

let seen = new Set();

function place(root, path) {
  for (let size = path.length; size >= 0; size -= 1) {
    const node = root.querySelector(`[data-path="${CSS.escape(pathKey(path.slice(0, size)))}"]`);
    if (node) return node;
  }
  return null;
}

/** Open the cards around `node` (a problem inside a closed rule must be seen). */
export function expand(node) {
  for (let at = node; at; at = at.parentElement) {
    if (at.classList?.contains("item-body") && at.hidden) {
      at.hidden = false;
      at.parentElement.querySelector(":scope > .item-head .toggle")?.setAttribute("aria-expanded", "true");
    }
  }
}

function clear(root) {
  root.querySelectorAll(".msgs").forEach((m) => m.replaceChildren());
  root.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
  root.querySelectorAll('[aria-describedby^="problem-"]').forEach((n) => n.removeAttribute("aria-describedby"));
  root.querySelectorAll(".has-error, .has-warning").forEach((n) => n.classList.remove("has-error", "has-warning"));
}

/** Put every problem of this file next to its field; summarise all of them. */
export function showProblems(env, problems) {
  const root = env.formRoot;
  clear(root);
  const mine = problems.filter((p) => p.file === env.boot.file);
  const now = new Set();
  const placed = [];
  mine.forEach((problem, index) => {
    const target = place(root, problem.path);
    if (!target) return;
    const id = `problem-${index}`;
    const msgs = target.querySelector(":scope > .msgs") ?? target;
    const mark = problem.severity === "error" ? "⚠" : "ⓘ";
    msgs.append(el("p", { class: `problem ${problem.severity}`, id }, `${mark} ${problem.message}`));
    target.classList.add(problem.severity === "error" ? "has-error" : "has-warning");
    const lang = problem.path.at(-1);
    const control = target.querySelector(`[data-lang="${lang}"]`) ?? target.querySelector("input, select, textarea");
    if (control) {
      if (problem.severity === "error") control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", id);
    }
    const key = `${pathKey(problem.path)}|${problem.message}`;
    if (!seen.has(key)) expand(target);
    now.add(key);
    placed.push({ problem, target });
  });
  seen = now;
  summarise(env, problems, placed);
}

function summarise(env, problems, placed) {
  const { W } = env;
  const box = env.summaryRoot;
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  box.className = errors ? "summary has-errors" : warnings ? "summary has-warnings" : "summary ok";
  if (!problems.length) {
    box.replaceChildren(el("p", {}, `✓ ${W.no_problems}`));
    return;
  }
  const head = [errors && W.error_count.replace("{n}", errors), warnings && W.warning_count.replace("{n}", warnings)]
    .filter(Boolean).join(" · ");
  const list = el("ul");
  for (const { problem, target } of placed) {
    const go = () => {
      expand(target);
      target.scrollIntoView({ block: "center" });
      (target.querySelector("input, select, textarea, button") ?? target).focus();
    };
    list.append(el("li", { class: problem.severity }, button(problem.message, go, { class: "link" })));
  }
  for (const problem of problems.filter((p) => p.file !== env.boot.file)) {
    const file = env.files.find((f) => f.name === problem.file);
    const href = `/console/studio/${file?.page ?? ""}?lang=${env.boot.lang}`;
    list.append(el("li", { class: problem.severity },
      el("a", { href }, `${file?.label ?? problem.file}: ${problem.message}`)));
  }
  box.replaceChildren(el("p", { class: "count" }, head), list);
}

// More leaf widgets: condition values, delays, state checks, plan pairs, read-only parts.
import { button, el, uid } from "./dom.js";
import { select } from "./widgets.js";

/** `{name: value or [values]}` (entities, profile): one row per name. */
function values(ctx) {
  const { env } = ctx;
  const box = el("div", { class: "values", role: "group", "aria-labelledby": ctx.labelId });
  const current = () => ({ ...(ctx.get() ?? {}) });
  const draw = () => {
    box.replaceChildren();
    for (const [name, value] of Object.entries(current())) {
      const key = el("input", { type: "text", "aria-label": env.W.value_name, spellcheck: "false" });
      key.value = name;
      const list = el("input", { type: "text", "aria-label": `${env.W.value_values} (${name})`, spellcheck: "false" });
      list.value = [].concat(value).join(", ");
      const write = () => {
        const items = list.value.split(",").map((s) => s.trim()).filter(Boolean);
        const next = {};
        for (const [k, v] of Object.entries(current())) {
          if (k === name) next[key.value] = Array.isArray(v) || items.length !== 1 ? items : items[0];
          else next[k] = v;
        }
        ctx.set(next);
      };
      key.addEventListener("change", () => { write(); draw(); });
      list.addEventListener("input", write);
      const remove = () => { const next = current(); delete next[name]; ctx.set(next); draw(); };
      box.append(el("div", { class: "value-row" }, key, el("span", { text: "=" }), list,
        button("✕", remove, { class: "icon", "aria-label": `${env.W.remove} ${name}` })));
    }
    const plans = env.plans.map((p) => p.id).join(", ");
    box.append(el("p", { class: "hint", text: env.W.values_hint.replace("{plans}", plans) }));
    box.append(button(`+ ${env.W.add_value}`, () => {
      const next = current();
      next[next.plan === undefined ? "plan" : `name${Object.keys(next).length}`] = "*";
      ctx.set(next);
      draw();
    }, { id: ctx.id }));
  };
  draw();
  return box;
}
values.accepts = (v) => v === null || (v && typeof v === "object" && !Array.isArray(v));

const DURATION = /^\s*(-)?\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/;

/** A delay such as `2d` or `-2d`: a number, a unit, and before or after the anchor. */
function duration(ctx) {
  const { env } = ctx;
  const match = DURATION.exec(String(ctx.get()));
  const box = el("span", { class: "duration", role: "group", "aria-labelledby": ctx.labelId });
  if (!match) {
    const raw = el("input", { id: ctx.id, type: "text" });
    raw.value = ctx.get() ?? "";
    raw.addEventListener("input", () => ctx.set(raw.value));
    box.append(raw);
    return box;
  }
  const amount = el("input", { id: ctx.id, type: "number", min: "0", step: "any", "aria-label": env.W.amount });
  amount.value = match[2];
  const unitIds = ["m", "h", "d", "s"].map((u) => [u, env.W[`unit_${u}`]]);
  const unit = select({ id: uid() }, unitIds, match[3], () => write());
  unit.setAttribute("aria-label", env.W.unit);
  const side = select({ id: uid() }, [["", env.W.after], ["-", env.W.before]], match[1] ?? "", () => write());
  side.setAttribute("aria-label", env.W.before_after);
  const write = () => ctx.set(`${side.value}${amount.value || 0}${unit.value}`);
  amount.addEventListener("input", write);
  box.append(amount, unit, side);
  return box;
}
duration.accepts = (v) => typeof v === "string" || typeof v === "number";

/** State values that cancel a follow-up: the known ones as check boxes. */
function states(ctx) {
  const { env } = ctx;
  const box = el("div", { class: "checks", role: "group", "aria-labelledby": ctx.labelId });
  const chosen = new Set(ctx.get() ?? []);
  const known = Object.keys(env.names.states);
  for (const [index, name] of [...new Set([...known, ...chosen])].entries()) {
    const id = index === 0 ? ctx.id : uid();
    const box1 = el("input", { type: "checkbox", id });
    box1.checked = chosen.has(name);
    box1.addEventListener("change", () => {
      const next = (ctx.get() ?? []).filter((n) => n !== name);
      if (box1.checked) next.push(name);
      ctx.set(next);
    });
    box.append(el("label", { class: "check" }, box1, env.names.states[name] ?? name));
  }
  return box;
}
states.accepts = (v) => Array.isArray(v) && v.every((s) => typeof s === "string");

/** Two plans from the catalog. */
function plan_pair(ctx) {
  const { env } = ctx;
  const box = el("span", { class: "pair", role: "group", "aria-labelledby": ctx.labelId });
  const pair = [...(ctx.get() ?? ["basic", "pro"])];
  const options = env.plans.map((p) => [p.id, p.name?.[env.boot.lang] ?? p.id]);
  for (const index of [0, 1]) {
    const here = options.some(([id]) => id === pair[index]) ? options : [...options, [pair[index], pair[index]]];
    const node = select({ id: index === 0 ? ctx.id : uid() }, here, pair[index], (v) => {
      const next = [...(ctx.get() ?? pair)];
      next[index] = v;
      ctx.set(next);
    });
    node.setAttribute("aria-label", `${ctx.label} ${index + 1}`);
    box.append(node);
  }
  return box;
}
plan_pair.accepts = (v) => Array.isArray(v) && v.length === 2;

/** Shown, not edited (the stage of a stage file is its name). */
function fixed(ctx) {
  return el("output", { id: ctx.id, text: ctx.env.names.stages[ctx.get()] ?? ctx.get() });
}
fixed.accepts = () => true;

/** A part the form cannot edit: shown as it is, kept as it is. */
function raw(ctx) {
  return readOnly(ctx.env, ctx.get(), ctx.id);
}
raw.accepts = () => true;

export function readOnly(env, value, id = uid()) {
  return el("div", { class: "raw", id },
    el("p", { class: "hint", text: env.W.read_only }),
    el("pre", { text: JSON.stringify(value, null, 2) }),
    button(env.W.open_yaml, () => env.openYaml(), { class: "link" }));
}

export const MORE_WIDGETS = { values, duration, states, plan_pair, fixed, raw };

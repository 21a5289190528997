// The form of one policy file, drawn from its spec (see bot/console/studio/spec.py).
// Edits change `env.form` in place and call env.changed(); the page saves it as a draft.
// Whatever the spec has no widget for is shown read-only and kept as it is.
import { button, el, pathKey, uid } from "./dom.js";
import { summarize } from "./summary.js";
import { WIDGETS } from "./widgets.js";
import { MORE_WIDGETS, readOnly } from "./widgets-more.js";

const LEAVES = { ...WIDGETS, ...MORE_WIDGETS };
const CARDS = new Set(["Rule", "TransitionRule", "FollowUp", "ChecklistStep", "Plan"]);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export function labelOf(env, model, key) {
  return env.names.fields[`${model}.${key}`] ?? env.names.fields[key] ?? String(key);
}

function slot(holder, key, env) {
  return {
    get: () => holder[key],
    set: (value) => {
      if (value === undefined) delete holder[key];
      else holder[key] = value;
      env.changed();
    },
  };
}

/** The whole file: one section per top-level field. */
export function renderFile(root, env) {
  env.summaries = [];
  root.replaceChildren(objectFields(env.boot.spec, env.form, [], env, { top: true }));
}

function objectFields(spec, obj, path, env, extra = {}) {
  const box = el("div", { class: extra.top ? "sections" : "fields", "data-path": pathKey(path) });
  const draw = (focusKey) => {
    box.replaceChildren(el("div", { class: "msgs" }));
    const known = new Set(spec.fields.map((f) => f.key));
    const absent = [];
    for (const f of spec.fields) {
      if (f.spec.kind === "fixed") continue;
      const list = f.spec.kind === "list" || f.spec.kind === "actions";
      if (f.key in obj || (extra.top && list)) box.append(field(spec.model, f, obj, path, env, extra, draw));
      else absent.push(f);
    }
    for (const key of Object.keys(obj).filter((k) => !known.has(k))) {
      box.append(el("div", { class: "field", "data-path": pathKey([...path, key]) },
        el("span", { class: "label", text: key }), readOnly(env, obj[key])));
    }
    if (absent.length) box.append(adder(spec.model, absent, obj, env, draw));
    if (focusKey) box.querySelector(`[data-path="${CSS.escape(pathKey([...path, focusKey]))}"] :is(input,select,textarea,button)`)?.focus();
  };
  draw();
  return box;
}

function adder(model, absent, obj, env, draw) {
  const id = uid();
  const picker = el("select", { id });
  for (const f of absent) picker.append(el("option", { value: f.key }, labelOf(env, model, f.key)));
  const add = () => {
    const f = absent.find((a) => a.key === picker.value);
    obj[f.key] = structuredClone(f.start);
    env.changed();
    draw(f.key);
  };
  return el("div", { class: "adder" }, el("label", { for: id }, env.W.add_field), picker,
    button(env.W.add, add));
}

function field(model, f, obj, path, env, extra, redraw) {
  const p = [...path, f.key];
  const label = labelOf(env, model, f.key);
  const ctx = { ...slot(obj, f.key, env), spec: f.spec, id: uid(), labelId: uid(), label, env, path: p, vars: extra.vars };
  const composite = ["object", "list", "actions"].includes(f.spec.kind);
  const tag = extra.top ? "section" : composite ? "fieldset" : "div";
  const heading = extra.top ? el("h2", { id: ctx.labelId }, label)
    : composite ? el("legend", { id: ctx.labelId }, label)
    : el("label", { for: ctx.id, id: ctx.labelId }, label);
  const head = el("div", { class: "field-head" }, heading);
  const listed = f.spec.kind === "list" || f.spec.kind === "actions";
  if (!f.required && f.key in obj && !(extra.top && listed)) {
    head.append(button("✕", () => { delete obj[f.key]; env.changed(); redraw(); },
      { class: "icon", "aria-label": `${env.W.remove}: ${label}` }));
  }
  return el(tag, { class: `field kind-${f.spec.kind}`, "data-path": pathKey(p) },
    head, el("div", { class: "msgs" }), value(ctx));
}

function value(ctx) {
  const { spec, env } = ctx;
  const current = ctx.get();
  if (spec.kind === "object") return isObject(current) ? objectFields(spec, current, ctx.path, env, { vars: ctx.vars }) : readOnly(env, current);
  if (spec.kind === "list") return current === undefined || Array.isArray(current) ? list(ctx) : readOnly(env, current);
  if (spec.kind === "actions") return current === undefined || Array.isArray(current) ? actions(ctx) : readOnly(env, current);
  const widget = LEAVES[spec.kind] ?? LEAVES.raw;
  return widget.accepts(current) ? widget(ctx) : readOnly(env, current, ctx.id);
}

function tools(env, ctx, index, name, move) {
  const count = (ctx.get() ?? []).length;
  return el("span", { class: "tools" },
    button("↑", () => move(index, index - 1, "up"), { class: "icon", "data-tool": "up", disabled: index === 0, "aria-label": `${env.W.move_up}: ${name}` }),
    button("↓", () => move(index, index + 1, "down"), { class: "icon", "data-tool": "down", disabled: index === count - 1, "aria-label": `${env.W.move_down}: ${name}` }),
    button("✕", () => move(index, null, "remove"), { class: "icon danger", "data-tool": "remove", "aria-label": `${env.W.remove}: ${name}` }));
}

/** Add, remove and reorder the items of a list; `draw` keeps focus on the moved item. */
function listing(ctx, drawItem, addRow) {
  const box = el("div", { class: `list kind-${ctx.spec.kind}`, "data-path": pathKey(ctx.path) });
  const move = (from, to, tool) => {
    const items = [...(ctx.get() ?? [])];
    if (to === null) items.splice(from, 1);
    else [items[from], items[to]] = [items[to], items[from]];
    ctx.set(items.length === 0 && ctx.spec.nullable ? undefined : items);
    draw(to ?? Math.min(from, items.length - 1), tool);
  };
  const draw = (focus = null, tool = null, open = false) => {
    box.replaceChildren();
    const items = ctx.get() ?? [];
    items.forEach((_, index) => box.append(drawItem(index, move, open && index === focus)));
    if (!items.length) box.append(el("p", { class: "hint", text: ctx.env.W.none_yet }));
    box.append(addRow((items) => { ctx.set(items); draw(items.length - 1, "new", true); }));
    const target = items.length ? box.children[focus] : null;
    if (target) (tool === "new" ? target.querySelector(".item-body :is(input,select,textarea), :is(input,select,textarea)") : target.querySelector(`[data-tool="${tool}"]:not(:disabled)`) ?? target.querySelector("button"))?.focus();
  };
  draw();
  return box;
}

function list(ctx) {
  const { env, spec } = ctx;
  const item = spec.item;
  const drawItem = (index, move, open) => {
    const items = ctx.get();
    const p = [...ctx.path, index];
    const name = summarize(item.model, items[index], env, index);
    if (item.kind === "object" && CARDS.has(item.model) && isObject(items[index])) {
      return card(ctx, item, items, index, p, tools(env, ctx, index, name, move), open);
    }
    const inner = { ...slot(items, index, env), spec: item, id: uid(), labelId: uid(), label: `${labelOf(env, "", ctx.path.at(-1))} ${index + 1}`, env, path: p, vars: ctx.vars };
    return el("div", { class: `item row model-${item.model ?? item.kind}`, "data-path": pathKey(p) },
      el("div", { class: "msgs" }), value(inner), tools(env, ctx, index, name, move));
  };
  const addRow = (done) => button(`+ ${env.W[`add_${item.model}`] ?? env.W.add_item}`, () => {
    const fresh = structuredClone(spec.template);
    if (isObject(fresh) && "name" in fresh) fresh.name = env.uniqueName(fresh.name);
    done([...(ctx.get() ?? []), fresh]);
  }, { class: "add" });
  return listing(ctx, drawItem, addRow);
}

function card(ctx, item, items, index, path, tools, open) {
  const { env } = ctx;
  const bodyId = uid();
  const toggle = el("button", { type: "button", class: "toggle", "aria-expanded": String(open), "aria-controls": bodyId });
  const update = () => { toggle.textContent = summarize(item.model, items[index], env, index); };
  update();
  env.summaries.push(update);
  const body = el("div", { class: "item-body", id: bodyId, hidden: !open },
    objectFields(item, items[index], path, env, { vars: ctx.vars }));
  toggle.addEventListener("click", () => {
    const shown = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!shown));
    body.hidden = shown;
  });
  return el("div", { class: `item card model-${item.model}`, "data-path": pathKey(path) },
    el("div", { class: "item-head" }, toggle, tools), el("div", { class: "msgs" }), body);
}

function actions(ctx) {
  const { env } = ctx;
  const drawItem = (index, move) => actionCard(ctx, index, move);
  const addRow = (done) => {
    const id = uid();
    const picker = el("select", { id });
    for (const [name, action] of Object.entries(env.boot.actions)) picker.append(el("option", { value: name }, action.label));
    return el("div", { class: "adder" }, el("label", { for: id }, env.W.action_kind), picker,
      button(`+ ${env.W.add_action}`, () => done([...(ctx.get() ?? []), structuredClone(env.boot.actions[picker.value].template)]), { class: "add" }));
  };
  return listing(ctx, drawItem, addRow);
}

function actionCard(ctx, index, move) {
  const { env } = ctx;
  const calls = ctx.get();
  const call = calls[index];
  const path = [...ctx.path, index];
  const name = isObject(call) && Object.keys(call).length === 1 ? Object.keys(call)[0] : null;
  const action = name ? env.boot.actions[name] : null;
  const label = action ? action.label : env.W.unknown_action;
  const box = el("fieldset", { class: "item action", "data-path": pathKey(path) },
    el("legend", {}, label), tools(env, ctx, index, label, move), el("div", { class: "msgs" }));
  const raw = action ? call[name] : undefined;
  const short = action?.shorthand;
  const args = raw == null ? {} : isObject(raw) ? raw : short ? { [short]: raw } : null;
  if (!action || args === null) {
    box.append(readOnly(env, call));
    return box;
  }
  const scalar = Boolean(short) && !isObject(raw) && raw != null;
  const inner = {
    ...env,
    changed: () => {
      const keys = Object.keys(args);
      call[name] = scalar && keys.length === 1 && keys[0] === short ? args[short] : args;
      env.changed();
    },
  };
  if (action.variables.length) {
    const names = [...action.variables, ...env.boot.commonVariables].map((v) => `{{ ${v} }}`).join("  ");
    box.append(el("p", { class: "hint" }, `${env.W.variables}: ${names}`));
  }
  box.append(objectFields(action.fields, args, [...path, name], inner, {}));
  return box;
}

// The form's leaf widgets. Each gets a context: its spec, get()/set(value) on the form's
// data, the id its main control must carry (the wrapper's <label for>), the label's id
// for groups, and env (names, words, catalog plans, changed()).
import { button, el, uid } from "./dom.js";

const LANGS = ["vi", "en"];

function grow(area) {
  // A long line wraps: count about 45 characters a row in a half-width column.
  const rows = area.value.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 45)), 0);
  area.rows = Math.min(12, Math.max(2, rows));
}

/** A vi/en template: two text areas side by side. */
function text(ctx) {
  const { env } = ctx;
  const value = ctx.get();
  const group = el("div", { class: "langs", role: "group", "aria-labelledby": ctx.labelId });
  const line = ctx.spec.kind === "line";
  for (const lang of LANGS) {
    const id = lang === "vi" ? ctx.id : uid();
    const area = el(line ? "input" : "textarea", { id, "data-lang": lang, spellcheck: "true", lang });
    area.value = value[lang] ?? "";
    if (!line) grow(area);
    area.addEventListener("input", () => {
      ctx.set({ ...ctx.get(), [lang]: area.value });
      if (!line) grow(area);
    });
    const name = `${ctx.label} — ${env.W[`lang_${lang}`]}`;
    area.setAttribute("aria-label", name);
    group.append(el("label", { class: "lang" }, el("span", { text: env.W[`lang_${lang}`] }), area));
  }
  return group;
}
text.accepts = (v) =>
  v && typeof v === "object" && !Array.isArray(v) &&
  Object.keys(v).every((k) => LANGS.includes(k) && typeof v[k] === "string");

/** A vi/en list of plain strings: one item per line. */
function texts(ctx) {
  const { env } = ctx;
  const group = el("div", { class: "langs", role: "group", "aria-labelledby": ctx.labelId });
  for (const lang of LANGS) {
    const area = el("textarea", { id: lang === "vi" ? ctx.id : uid(), lang });
    area.value = (ctx.get()[lang] ?? []).join("\n");
    grow(area);
    area.setAttribute("aria-label", `${ctx.label} — ${env.W[`lang_${lang}`]}`);
    area.addEventListener("input", () => {
      const items = area.value.split("\n").map((s) => s.trim()).filter(Boolean);
      ctx.set({ ...ctx.get(), [lang]: items });
      grow(area);
    });
    group.append(el("label", { class: "lang" }, el("span", { text: env.W[`lang_${lang}`] }), area));
  }
  return group;
}
texts.accepts = (v) =>
  v && typeof v === "object" && LANGS.every((k) => Array.isArray(v[k] ?? []));

function select(ctx, options, current, onchange) {
  const node = el("select", { id: ctx.id });
  for (const [value, label] of options) {
    const option = el("option", { value }, label);
    if (value === current) option.selected = true;
    node.append(option);
  }
  node.addEventListener("change", () => onchange(node.value));
  return node;
}

/** A lifecycle stage; a nullable one also offers "no move". */
function stage(ctx) {
  const { env } = ctx;
  const options = env.boot.stages.map((s) => [s, env.names.stages[s] ?? s]);
  if (ctx.spec.nullable) options.unshift(["", env.W.no_move]);
  const current = ctx.get() ?? "";
  return select(ctx, options, current, (v) => ctx.set(v === "" ? null : v));
}
stage.accepts = (v) => v === null || typeof v === "string";

/** One of a fixed set of values (an enum). */
function choice(ctx) {
  const labels = ctx.env.names.choices;
  const options = ctx.spec.options.map((o) => [o, labels[o] ? `${labels[o]}` : o]);
  return select(ctx, options, ctx.get(), (v) => ctx.set(v));
}
choice.accepts = (v) => typeof v === "string";

/** A number; emptying an optional one removes it. */
function number(ctx) {
  const attrs = { id: ctx.id, type: "number", inputmode: "numeric" };
  if (ctx.spec.min !== undefined) attrs.min = ctx.spec.min;
  if (ctx.spec.max !== undefined) attrs.max = ctx.spec.max;
  const input = el("input", attrs);
  input.value = ctx.get() ?? "";
  input.addEventListener("input", () => {
    if (input.value === "") ctx.set(ctx.spec.nullable ? null : undefined);
    else ctx.set(ctx.spec.integer ? parseInt(input.value, 10) : parseFloat(input.value));
  });
  return input;
}
number.accepts = (v) => v === null || typeof v === "number";

function string(ctx) {
  const input = el("input", { id: ctx.id, type: "text", spellcheck: "false" });
  input.value = ctx.get() ?? "";
  input.addEventListener("input", () => ctx.set(input.value));
  return input;
}
string.accepts = (v) => v === null || typeof v === "string";

function bool(ctx) {
  const box = el("input", { id: ctx.id, type: "checkbox" });
  box.checked = Boolean(ctx.get());
  box.addEventListener("change", () => ctx.set(box.checked));
  return box;
}
bool.accepts = (v) => typeof v === "boolean";

/** Intents as removable chips, plus a picker; one intent is written as a plain value. */
function intents(ctx) {
  const { env } = ctx;
  const box = el("div", { class: "chips", role: "group", "aria-labelledby": ctx.labelId });
  const list = () => [].concat(ctx.get() ?? []);
  const write = (items) => ctx.set(items.length === 1 ? items[0] : items);
  const draw = () => {
    box.replaceChildren();
    for (const intent of list()) {
      const name = env.names.intents[intent] ?? intent;
      box.append(
        el("span", { class: "chip" }, name,
          button("✕", () => { write(list().filter((i) => i !== intent)); draw(); },
            { "aria-label": `${env.W.remove} ${name}`, class: "icon" })),
      );
    }
    const picker = el("select", { id: ctx.id, "aria-label": `${ctx.label}: ${env.W.add}` });
    picker.append(el("option", { value: "" }, `+ ${env.W.add_intent}`));
    for (const intent of env.boot.intents.filter((i) => !list().includes(i))) {
      picker.append(el("option", { value: intent }, env.names.intents[intent] ?? intent));
    }
    picker.addEventListener("change", () => {
      if (!picker.value) return;
      write([...list(), picker.value]);
      draw();
      box.querySelector("select")?.focus();
    });
    box.append(picker);
  };
  draw();
  return box;
}
intents.accepts = (v) => typeof v === "string" || (Array.isArray(v) && v.every((i) => typeof i === "string"));

/** What a button does: an intent from the list, or any payload typed by hand. */
function payload(ctx) {
  const { env } = ctx;
  const wrap = el("span", { class: "payload" });
  const options = env.boot.intents.map((i) => [`/${i}`, env.names.intents[i] ?? i]);
  const known = options.some(([v]) => v === ctx.get());
  options.push(["", env.W.other_payload]);
  const typed = el("input", { type: "text", "aria-label": `${ctx.label}: ${env.W.other_payload}`, spellcheck: "false" });
  typed.value = ctx.get() ?? "";
  typed.hidden = known;
  const picker = select(ctx, options, known ? ctx.get() : "", (v) => {
    typed.hidden = v !== "";
    if (v) ctx.set(v);
    else typed.focus();
  });
  typed.addEventListener("input", () => ctx.set(typed.value));
  wrap.append(picker, typed);
  return wrap;
}
payload.accepts = (v) => typeof v === "string";

export const WIDGETS = { text, line: text, texts, stage, choice, number, string, bool, intents, payload };
export { select };

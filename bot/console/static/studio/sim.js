// The simulator beside the editor: a chat with one made-up customer that keeps its stage
// and language, with why the bot answered each message. The conversation survives going
// to another stage's page (sessionStorage), until "new customer".
import { button, el, post } from "./dom.js";

const KEY = "engagebot-studio-simulator";
const $ = (id) => document.getElementById(id);

export function startSimulator(env, settle) {
  const { W, boot } = env;
  const saved = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
  const here = boot.file.replace(/\.yml$/, "");
  const stage = boot.stages.includes(here) ? here : "awareness";
  const sim = saved ?? { sim: "", stage, locale: boot.lang, source: "draft", log: [] };
  const log = $("sim-log");
  const keep = () => sessionStorage.setItem(KEY, JSON.stringify(sim));

  const controls = () => {
    $("sim-stage").value = sim.stage;
    $("sim-locale").value = sim.locale;
    $("sim-source").value = sim.source;
  };

  const draw = (entry, index) => {
    if (entry.who === "why") return why(env, entry);
    if (entry.who === "note") return el("p", { class: "note", text: entry.text });
    const bubble = el("div", { class: `bubble ${entry.who}` }, el("p", { text: entry.text }));
    const last = index === sim.log.length - 1 || sim.log.slice(index + 1).every((e) => e.who !== "customer");
    if (entry.buttons?.length) {
      bubble.append(el("div", { class: "bubble-buttons" }, entry.buttons.map((b) =>
        button(b.title, () => say(b.payload, b.title), { disabled: !last, class: "reply-button" }))));
    }
    return bubble;
  };
  const redraw = () => {
    log.replaceChildren(...sim.log.map(draw));
    log.scrollTop = log.scrollHeight;
  };
  const add = (...entries) => {
    sim.log.push(...entries);
    keep();
    redraw();
  };

  async function call(url, fields) {
    if (sim.source === "draft") await settle();
    const answer = await post(boot, url, { sim: sim.sim, source: sim.source, stage: sim.stage, locale: sim.locale, ...fields });
    Object.assign(sim, { sim: answer.sim, stage: answer.stage ?? sim.stage, locale: answer.locale ?? sim.locale });
    controls();
    return answer;
  }

  async function say(message, shown = message) {
    add({ who: "customer", text: shown });
    $("sim-state").textContent = W.sim_waiting;
    try {
      const answer = await call("/console/studio/api/simulate", { message });
      const replies = answer.replies.map((r) => ({ who: "bot", text: r.text, buttons: r.buttons }));
      add(...replies, { who: "why", steps: answer.steps, moves: answer.moves, handoff: answer.handoff, replied: replies.length > 0 });
      $("sim-state").textContent = "";
    } catch (error) {
      add({ who: "note", text: error.message });
      $("sim-state").textContent = "";
    }
  }

  $("sim-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("sim-input");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    say(text);
    input.focus();
  });
  for (const id of ["sim-stage", "sim-locale"]) {
    $(id).addEventListener("change", async () => {
      sim.stage = $("sim-stage").value;
      sim.locale = $("sim-locale").value;
      try {
        await call("/console/studio/api/simulate/customer", {});
        add({ who: "note", text: W.sim_moved.replace("{stage}", env.names.stages[sim.stage]).replace("{locale}", W[`lang_${sim.locale}`]) });
      } catch (error) {
        add({ who: "note", text: error.message });
      }
    });
  }
  $("sim-source").addEventListener("change", () => {
    sim.source = $("sim-source").value;
    add({ who: "note", text: sim.source === "draft" ? W.sim_on_draft : W.sim_on_live });
  });
  $("sim-reset").addEventListener("click", async () => {
    const old = sim.sim;
    sim.sim = "";
    sim.log = [];
    try {
      await call("/console/studio/api/simulate/reset", { old });
      add({ who: "note", text: W.sim_new_customer.replace("{stage}", env.names.stages[sim.stage]) });
    } catch (error) {
      add({ who: "note", text: error.message });
    }
    $("sim-input").focus();
  });
  controls();
  redraw();
}

function why(env, entry) {
  const { W, names, boot } = env;
  const lines = [];
  for (const step of entry.steps ?? []) {
    const intent = names.intents[step.intent] ?? step.intent;
    const confidence = Math.round(step.confidence * 100);
    lines.push(el("li", {}, `${W.why_intent}: ${intent} (${step.intent}, ${confidence}%)`));
    const kind = names.reasons[step.kind] ?? step.kind;
    const where = step.where === "common" ? W.common_rules : names.stages[step.where] ?? step.where;
    const page = `/console/studio/${step.where}?lang=${boot.lang}`;
    const rule = step.name ? el("a", { href: page, class: "rule-name" }, `${kind} “${step.name}”`) : kind;
    lines.push(el("li", { class: "answered-by" }, `${W.why_answered}: `, rule, ` · ${where}`));
    const actions = step.actions.map((a) => boot.actions[a]?.label ?? a).join(", ");
    if (actions) lines.push(el("li", {}, `${W.why_actions}: ${actions}`));
  }
  for (const move of entry.moves ?? []) {
    const enter = move.on_enter.map((a) => boot.actions[a]?.label ?? a).join(", ");
    const text = `${W.why_stage}: ${names.stages[move.from] ?? move.from} → ${names.stages[move.to] ?? move.to}`;
    lines.push(el("li", { class: "stage-move" }, enter ? `${text} (${W.why_on_enter}: ${enter})` : text));
  }
  if (!entry.steps?.length && entry.replied) lines.push(el("li", {}, W.why_nlu_down));
  if (!entry.replied && entry.handoff) lines.push(el("li", {}, W.why_handoff));
  return el("div", { class: "why" }, el("p", { class: "why-title", text: W.why }), el("ul", {}, lines));
}

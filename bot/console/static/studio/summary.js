// One readable sentence per rule, move, follow-up, step or plan, in the console's language:
// "When the customer asks about prices → Plan details with buttons [Compare] [Trial]".
import { clip } from "./dom.js";

const DELAY = /^\s*(-)?\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/;

function say(env, t, size = 60) {
  if (!t || typeof t !== "object") return "";
  const source = t[env.boot.lang] || t.vi || t.en || "";
  return clip(source.replace(/\{%.*?%\}/gs, " "), size);
}

function stageName(env, stage) {
  return stage ? env.names.stages[stage] ?? stage : env.W.no_move;
}

/** "When the customer asks about prices or compares plans, and the message names plan = pro". */
export function condition(env, when) {
  const { W, names } = env;
  if (!when || typeof when !== "object") return W.no_condition;
  const parts = [];
  const intents = (list) => [].concat(list).map((i) => names.intents[i] ?? i).join(` ${W.or} `);
  if (when.intent !== undefined) parts.push(`${W.customer} ${intents(when.intent)}`);
  if (when.previous_intent !== undefined) parts.push(`${W.previously} ${intents(when.previous_intent)}`);
  if (when.awaiting) parts.push(`${W.awaiting} “${when.awaiting}”`);
  if (when.event) parts.push(`${W.product_reports} ${when.event}`);
  const sources = [["entities", W.message_names], ["profile", W.profile_has], ["properties", W.event_has]];
  for (const [key, label] of sources) {
    for (const [name, value] of Object.entries(when[key] ?? {})) {
      parts.push(`${label} ${name} = ${[].concat(value).join(` ${W.or} `)}`);
    }
  }
  return parts.length ? `${W.when} ${parts.join(`, ${W.and} `)}` : W.no_condition;
}

function withButtons(env, args) {
  const titles = (args?.buttons ?? []).map((b) => `[${say(env, b?.title, 24)}]`);
  return titles.length ? ` ${env.W.with_buttons} ${titles.join(" ")}` : "";
}

/** A reply's short answers: "; “yes”: asks for a trial". */
function withAnswers(env, args) {
  const meant = (payload) => env.names.intents[String(payload).slice(1)] ?? payload;
  const parts = [["yes", env.W.if_yes], ["no", env.W.if_no]]
    .filter(([key]) => typeof args?.[key] === "string")
    .map(([key, label]) => `${label}: ${meant(args[key])}`);
  return parts.length ? ` (${parts.join("; ")})` : "";
}

/** One action: "Reply “Hi!” with buttons [Pricing]". */
export function action(env, call) {
  if (!call || typeof call !== "object") return "?";
  const [name] = Object.keys(call);
  const spec = env.boot.actions[name];
  if (!spec) return name ?? "?";
  const raw = call[name];
  const args = raw && typeof raw === "object" ? raw : spec.shorthand ? { [spec.shorthand]: raw } : {};
  const label = spec.label;
  switch (name) {
    case "move_to":
      return `${env.W.move_to} ${stageName(env, args.stage)}`;
    case "checklist":
      return `${label}: ${env.names.choices[args.do] ?? args.do}`;
    case "discount":
      return `${label} ${args.coupon} (−${args.percent}%)${withButtons(env, args)}`;
    case "trial_offer":
      return `${label}: “${say(env, args.offer)}”${withButtons(env, args)}`;
    case "plan_info":
      return `${label}: “${say(env, args.all)}”${withButtons(env, args)}`;
    default: {
      const text = say(env, args.text);
      return `${label}${text ? `: “${text}”` : ""}${withButtons(env, args)}${withAnswers(env, args)}`;
    }
  }
}

function actions(env, calls) {
  return (Array.isArray(calls) ? calls : []).map((c) => action(env, c)).join("; ");
}

/** "2 days before the end of the trial". */
export function delay(env, followUp) {
  const { W, names } = env;
  // Counted from a product event: "2 days after trial_started".
  const anchor = followUp?.from === "event" && followUp?.event
    ? followUp.event
    : names.choices[followUp?.from ?? "stage_entered"] ?? followUp?.from;
  const match = DELAY.exec(String(followUp?.after ?? ""));
  if (!match) return `${followUp?.after} (${anchor})`;
  const amount = Number(match[2]);
  const unit = W[`unit_${match[3]}${amount === 1 ? "1" : ""}`] ?? W[`unit_${match[3]}`];
  return `${amount} ${unit} ${match[1] ? W.before : W.after} ${anchor}`;
}

/** The sentence of one list item of `model`. */
export function summarize(model, item, env, index) {
  const { W } = env;
  if (!item || typeof item !== "object") return `#${index + 1}`;
  switch (model) {
    case "Rule":
      return `${condition(env, item.when)} → ${actions(env, item.do) || W.nothing}`;
    case "TransitionRule": {
      const before = actions(env, item.do);
      const again = item.replay ? ` ${W.answer_there}` : "";
      return `${condition(env, item.when)} → ${before ? `${before}; ` : ""}${W.then_move} ${stageName(env, item.to)}${again}`;
    }
    case "FollowUp":
      return `${delay(env, item)} → ${actions(env, item.do) || W.nothing}`;
    case "ChecklistStep":
      return `${W.step} ${index + 1}: ${say(env, item.title)}`;
    case "Plan": {
      const price = item.price != null ? `${Number(item.price).toLocaleString(env.boot.lang)}` : say(env, item.price_label);
      return `${say(env, item.name)} — ${price}`;
    }
    case "ButtonSpec":
      return say(env, item.title) || `#${index + 1}`;
    default:
      return `#${index + 1}`;
  }
}

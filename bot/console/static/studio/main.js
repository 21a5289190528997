// The studio page: the form (or YAML) of one file, saved as a draft while the marketer
// types, checked on every save, published when it has no errors.
import { post } from "./dom.js";
import { renderFile } from "./form.js";
import { showProblems } from "./problems.js";
import { startSimulator } from "./sim.js";

const boot = JSON.parse(document.getElementById("studio-boot").textContent);
const W = boot.words;
const $ = (id) => document.getElementById(id);

const env = {
  boot,
  W,
  names: boot.names,
  plans: boot.plans,
  files: boot.files,
  form: boot.form,
  formRoot: $("form-root"),
  summaryRoot: $("problem-summary"),
  summaries: [],
  changed: () => edited(),
  openYaml: () => show("yaml"),
  uniqueName,
};
const state = { mode: "form", yaml: boot.yaml, problems: boot.problems, changed: boot.changed, timer: null, inflight: null, again: false, yamlView: null };

function uniqueName(base) {
  const used = new Set();
  for (const key of ["rules", "transitions", "follow_ups"]) {
    for (const item of env.form?.[key] ?? []) used.add(item?.name);
  }
  let name = base;
  for (let n = 2; used.has(name); n += 1) name = `${base}_${n}`;
  return name;
}

function status(text) {
  $("save-state").textContent = text;
}

function edited() {
  for (const update of env.summaries) update();
  status(W.unsaved);
  clearTimeout(state.timer);
  state.timer = setTimeout(flush, 500);
}

/** Save now (and again if more edits came meanwhile); resolves when the draft is stored. */
async function flush() {
  clearTimeout(state.timer);
  state.timer = null;
  if (state.inflight) {
    state.again = true;
    return state.inflight;
  }
  state.inflight = (async () => {
    do {
      state.again = false;
      const fields = state.mode === "yaml"
        ? { file: boot.file, yaml: state.yamlView.text() }
        : { file: boot.file, form: JSON.stringify(env.form) };
      status(W.saving);
      try {
        apply(await post(boot, "/console/studio/api/save", fields));
        status(W.saved);
      } catch (error) {
        status(`${W.save_failed} ${error.message}`);
        break;
      }
    } while (state.again);
  })();
  try {
    await state.inflight;
  } finally {
    state.inflight = null;
  }
}

/** Wait for pending edits to be saved (before simulating, publishing, switching views). */
async function settle() {
  if (state.timer || state.inflight) await flush();
}

/** What a save or a discard answered: the YAML, the problems, the files' states. */
function apply(answer) {
  state.yaml = answer.yaml;
  state.problems = answer.problems;
  state.changed = answer.changed;
  env.files = answer.files;
  if (state.mode === "yaml") env.form = answer.form;
  else state.yamlView?.setText(answer.yaml);
  refresh();
}

function refresh() {
  showProblems(env, state.problems);
  state.yamlView?.setProblems(state.problems.filter((p) => p.file === boot.file));
  for (const file of env.files) {
    const badge = document.querySelector(`[data-file="${file.name}"] .badge`);
    if (!badge) continue;
    badge.textContent = file.errors ? W.errors_n.replace("{n}", file.errors) : file.changed ? W.changed : "";
    badge.className = `badge${file.errors ? " bad" : file.changed ? " draft" : ""}`;
  }
  const errors = state.problems.filter((p) => p.severity === "error").length;
  $("publish").disabled = errors > 0 || !state.changed;
  $("publish-why").textContent = errors ? W.fix_first.replace("{n}", errors) : state.changed ? "" : W.nothing_to_publish;
  $("discard").disabled = !env.files.find((f) => f.name === boot.file)?.changed;
}

async function show(mode) {
  if (mode === state.mode) return;
  await settle();
  if (mode === "form" && !env.form) {
    status(W.yaml_broken);
    return;
  }
  state.mode = mode;
  $("tab-form").setAttribute("aria-selected", String(mode === "form"));
  $("tab-yaml").setAttribute("aria-selected", String(mode === "yaml"));
  $("form-root").hidden = mode !== "form";
  $("yaml-root").hidden = mode !== "yaml";
  if (mode === "yaml") {
    const { YamlView } = await import("./yaml.js");
    state.yamlView ??= new YamlView($("yaml-editor"), state.yaml, edited, `${W.yaml} ${boot.file}`);
    state.yamlView.setText(state.yaml);
    refresh();
    state.yamlView.view.focus();
  } else {
    renderFile(env.formRoot, env);
    refresh();
  }
}

async function publish() {
  await settle();
  const button = $("publish");
  button.disabled = true;
  try {
    const answer = await post(boot, "/console/studio/api/publish", { message: $("publish-message").value });
    $("publish-state").textContent = W.published.replace("{n}", answer.number);
    $("publish-message").value = "";
    state.changed = false;
    env.files = env.files.map((f) => ({ ...f, changed: false }));
  } catch (error) {
    $("publish-state").textContent = `${W.not_published} ${error.message}`;
    if (error.answer?.problems) state.problems = error.answer.problems;
  }
  refresh();
}

async function discard() {
  if (!window.confirm(W.discard_confirm)) return;
  clearTimeout(state.timer);
  const answer = await post(boot, "/console/studio/api/discard", { file: boot.file });
  env.form = answer.form;
  apply(answer);
  if (state.mode === "form" && env.form) renderFile(env.formRoot, env);
  refresh();
  status(W.discarded);
}

function start() {
  $("tab-form").addEventListener("click", () => show("form"));
  $("tab-yaml").addEventListener("click", () => show("yaml"));
  for (const tab of [$("tab-form"), $("tab-yaml")]) {
    tab.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      const other = tab.id === "tab-form" ? $("tab-yaml") : $("tab-form");
      other.focus();
      other.click();
    });
  }
  $("publish").addEventListener("click", publish);
  $("discard").addEventListener("click", discard);
  window.addEventListener("beforeunload", (event) => {
    if (state.timer || state.inflight) event.preventDefault();
  });
  startSimulator(env, settle);
  // On a phone the stage list scrolls sideways: show where we are.
  document.querySelector(".files li.here")?.scrollIntoView({ block: "nearest", inline: "center" });
  if (env.form) {
    renderFile(env.formRoot, env);
    refresh();
  } else {
    status(W.yaml_broken);
    show("yaml");
  }
}

start();

// The campaigns page: live audience count, preview per language, sending, live progress.

const form = document.getElementById("campaign");
const lang = form.dataset.lang;
const words = JSON.parse(form.dataset.words);
const POLL_MS = 2000;

function fields() {
  return new URLSearchParams(new FormData(form));
}

async function post(url) {
  const response = await fetch(`${url}?lang=${lang}`, {
    method: "POST",
    body: fields(),
    credentials: "same-origin",
  });
  return { ok: response.ok, answer: await response.json() };
}

function showProblems(problems, only) {
  for (const slot of form.querySelectorAll(".problem")) {
    const name = slot.dataset.for;
    if (only && !only.includes(name)) continue;
    slot.textContent = problems[name] ?? "";
    const scope = name.startsWith("button-")
      ? form.querySelector(`.button-row[data-index="${name.slice(7)}"]`)
      : form;
    const names = name === "text" ? ["text_vi", "text_en"] : name.startsWith("button-") ? ["button_vi", "button_en"] : [name];
    for (const input of names.flatMap((n) => [...scope.querySelectorAll(`[name="${n}"]`)])) {
      if (problems[name]) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }
}

let counting = 0;
async function countAudience() {
  const mine = ++counting;
  const { ok, answer } = await post("/console/campaigns/audience");
  if (mine !== counting) return; // a newer count is on its way
  showProblems(answer.problems ?? {}, ["seen_within", "silent_for"]);
  document.getElementById("audience").textContent = ok
    ? words.audience_n.replace("{n}", answer.audience)
    : "";
}

function preview() {
  const data = new FormData(form);
  for (const phone of document.querySelectorAll("#preview .phone")) {
    const which = phone.dataset.lang;
    phone.querySelector(".bubble").textContent = data.get(`text_${which}`) ?? "";
    const titles = data.getAll(`button_${which}`).filter((title) => title.trim());
    phone.querySelector(".buttons").replaceChildren(
      ...titles.map((title) => Object.assign(document.createElement("span"), { className: "chip", textContent: title })),
    );
  }
}

function cell(row, name, value) {
  row.querySelector(`.${name}`).textContent = value;
}

function showRow(campaign) {
  const body = document.querySelector("#campaigns tbody");
  body.querySelector("tr.none")?.remove();
  let row = body.querySelector(`tr[data-id="${campaign.id}"]`);
  if (!row) {
    row = document.createElement("tr");
    row.dataset.id = campaign.id;
    for (const name of ["created", "due", "author", "text", "audience", "sent", "dropped", "pending"]) {
      row.append(Object.assign(document.createElement("td"), { className: name }));
    }
    body.prepend(row);
    for (const name of ["created", "due", "author", "text"]) cell(row, name, campaign[name]);
  }
  for (const name of ["audience", "sent", "pending"]) cell(row, name, campaign[name]);
  cell(row, "dropped", campaign.dropped);
  if (campaign.reasons.length) {
    row.querySelector(".dropped").append(
      Object.assign(document.createElement("small"), { textContent: campaign.reasons.join("; ") }),
    );
  }
}

async function follow() {
  const response = await fetch(`/console/campaigns/progress?lang=${lang}`, { credentials: "same-origin" });
  if (response.ok) for (const campaign of (await response.json()).reverse()) showRow(campaign);
  setTimeout(follow, POLL_MS);
}

let timer;
form.addEventListener("input", (event) => {
  preview();
  if (event.target.closest("#segment")) {
    clearTimeout(timer);
    timer = setTimeout(countAudience, 250);
  }
});
form.addEventListener("change", (event) => {
  if (event.target.name === "at") form.querySelector('input[name="when"][value="later"]').checked = true;
});
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const state = document.getElementById("send-state");
  const { ok, answer } = await post("/console/campaigns");
  showProblems(ok ? {} : answer.problems ?? {});
  if (!ok) {
    state.textContent = words.fix_first;
    form.querySelector('[aria-invalid="true"]')?.focus();
    return;
  }
  state.textContent = words.created.replace("{n}", answer.audience);
  showRow(answer);
});

preview();
countAudience();
follow();

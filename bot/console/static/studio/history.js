// Rollback asks first: a dialog with what will happen and a required message.
const words = JSON.parse(document.getElementById("history-words").textContent);
const dialog = document.getElementById("rollback-dialog");
const form = document.getElementById("rollback-form");
let opener = null;

for (const button of document.querySelectorAll("button.rollback")) {
  button.addEventListener("click", () => {
    opener = button;
    const { number, when } = button.dataset;
    form.action = `/console/studio/history/rollback/${number}?lang=${words.lang}`;
    document.getElementById("rollback-title").textContent = words.title
      .replace("{n}", number)
      .replace("{when}", when);
    dialog.showModal();
    document.getElementById("rollback-message").focus();
  });
}
document.getElementById("rollback-cancel").addEventListener("click", () => dialog.close());
dialog.addEventListener("close", () => opener?.focus());

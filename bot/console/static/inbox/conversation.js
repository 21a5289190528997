/* One conversation: the transcript (live), a reply box that keeps its text, a confirmed close. */
(function () {
  "use strict";
  var c = inboxCommon;
  var data = JSON.parse(document.getElementById("conversation-data").textContent);
  var last = JSON.parse(document.getElementById("last-id").textContent);
  var w = data.words;
  var box = document.getElementById("transcript");
  var seen = {};
  var offered = [];  // the buttons of the bot's latest message, to name what was pressed
  var skew = Date.now() / 1000 - data.now;

  function who(m) {
    if (m.dir === "in") { return w.customer; }
    var author = m.author || "bot";
    return author.indexOf("staff:") === 0 ? author.slice(6) : w.bot;
  }

  function show(m) {
    if (seen[m.id]) { return; }
    seen[m.id] = true;
    var staff = (m.author || "").indexOf("staff:") === 0;
    var node = c.el("div", "msg " + m.dir + (staff ? " staff" : ""));
    node.setAttribute("data-id", m.id);
    var by = c.el("div", "by", who(m) + " \u00B7 ");
    var at = c.el("time", "", c.localTime(m.at));
    at.setAttribute("data-at", m.at);
    by.appendChild(at);
    node.appendChild(by);
    var pressed = m.dir === "in" ? offered.filter(function (b) { return b.payload === m.text; })[0] : null;
    if (pressed) {
      var chip = c.el("div", "chips");
      chip.appendChild(c.el("span", "chip pressed", w.pressed + ": " + pressed.title));
      node.appendChild(chip);
    } else if (m.dir === "in" && /^\/[a-z_]+/.test(m.text)) {
      // A button payload or command the customer's app sent (the web chat's greeting on open).
      var command = c.el("div", "chips");
      command.appendChild(c.el("span", "chip command", m.text));
      node.appendChild(command);
    } else {
      node.appendChild(c.el("div", "text", m.text));
    }
    if (m.dir === "out" && m.buttons && m.buttons.length) {
      offered = m.buttons;
      var chips = c.el("div", "chips");
      m.buttons.forEach(function (b) { chips.appendChild(c.el("span", "chip", b.title)); });
      node.appendChild(chips);
    }
    box.appendChild(node);
    box.scrollTop = box.scrollHeight;
  }

  data.messages.forEach(show);
  c.localiseTimes(document);

  var wait = document.getElementById("wait");
  function tick() {
    if (!wait) { return; }
    var seconds = Date.now() / 1000 - skew - parseFloat(wait.getAttribute("data-started"));
    var answered = !!wait.getAttribute("data-answered");
    wait.className = c.waitClass(seconds, data.sla_seconds, answered);
    wait.textContent = (answered ? w.answered + " \u00B7 " : w.waiting + " ") + c.duration(seconds);
  }
  // The owner's own clock, worded and coloured as in the inbox list.
  var ownerWait = document.getElementById("owner-wait");
  function tickOwner() {
    if (!ownerWait) { return; }
    var since = ownerWait.getAttribute("data-since");
    var seconds = since ? Date.now() / 1000 - skew - parseFloat(since) : 0;
    var late = !!since && seconds >= data.sla_seconds;
    ownerWait.className = c.waitClass(seconds, data.sla_seconds, !since);
    ownerWait.setAttribute("data-overdue", late ? "1" : "");
    ownerWait.textContent = ownerWait.getAttribute("data-owner") + " \u00B7 "
      + (since ? w.waiting_for + " " + c.duration(seconds) : w.answered) + (late ? " \u00B7 " + w.overdue : "");
    document.getElementById("head").classList.toggle("overdue", late);
  }
  tick();
  tickOwner();
  setInterval(function () { tick(); tickOwner(); }, 1000);

  var source = new EventSource("/console/inbox/" + data.user_id + "/events?after=" + encodeURIComponent(last));
  source.onmessage = function (event) {
    var m = JSON.parse(event.data);
    show(m);
    if (wait && m.author && m.author.indexOf("staff:") === 0) { wait.setAttribute("data-answered", "1"); }
  };
  source.addEventListener("ended", function () { source.close(); });

  // Replies go out without leaving the page: what is being typed stays.
  var reply = document.getElementById("reply");
  if (reply) {
    reply.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = reply.elements.text;
      var sent = text.value;
      var body = new URLSearchParams(new FormData(reply));
      fetch(reply.action, { method: "POST", body: body, headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) { return r.json().then(function (e) { throw new Error(e.error || e.message || r.status); }); }
          if (text.value === sent) { text.value = ""; }
          document.getElementById("reply-error").textContent = "";
        })
        .catch(function (e) { document.getElementById("reply-error").textContent = String(e.message || e); });
    });
  }
  // Canned replies: "/name" (the last word typed) offers the team's saved answers,
  // with {{first_name}}, {{name}} and {{agent}} filled in before anything is sent.
  var menu = document.getElementById("canned-menu");
  function filled(text) {
    // An unknown first name leaves no stray space before punctuation ("Hi ," -> "Hi,").
    return text.replace(/\{\{\s*(first_name|name|agent)\s*\}\}/g, function (_, key) { return data.fill[key] || ""; })
      .replace(/ +([,.!?])/g, "$1");
  }
  function offer(box) {
    var typed = /(^|\s)\/([a-z0-9_-]*)$/.exec(box.value);
    menu.textContent = "";
    var names = typed ? Object.keys(data.canned).filter(function (n) { return n.indexOf(typed[2]) === 0; }) : [];
    menu.hidden = !names.length;
    names.forEach(function (name, i) {
      var choice = c.el("button", i === 0 ? "on" : "");
      choice.type = "button";
      choice.setAttribute("data-name", name);
      choice.appendChild(c.el("b", "", "/" + name + " "));
      choice.appendChild(document.createTextNode(filled(data.canned[name]).slice(0, 80)));
      choice.onclick = function () {
        box.value = box.value.slice(0, box.value.length - typed[2].length - 1) + filled(data.canned[name]);
        menu.hidden = true;
        box.focus();
      };
      menu.appendChild(choice);
    });
  }
  if (reply && menu) {
    var area = reply.elements.text;
    area.addEventListener("input", function () { offer(area); });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !menu.hidden && menu.firstChild) { event.preventDefault(); menu.firstChild.click(); }
      if (event.key === "Escape") { menu.hidden = true; }
    });
  }

  document.querySelectorAll("form.unmerge").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  var close = document.getElementById("close");
  if (close) {
    close.addEventListener("submit", function (event) {
      if (!window.confirm(close.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  }
}());

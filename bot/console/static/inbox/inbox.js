/* The inbox list: rows rendered here, replaced live from the server's event stream. */
(function () {
  "use strict";
  var c = inboxCommon;
  var data = JSON.parse(document.getElementById("inbox-data").textContent);
  var w = data.words;
  var box = document.getElementById("rows");
  var live = document.getElementById("live");
  var skew = Date.now() / 1000 - data.now;  // the browser's clock against the server's
  var baseTitle = document.title;

  function now() { return Date.now() / 1000 - skew; }
  function reason(code) { return w["reason_" + code] || String(code || "").replace(/_/g, " "); }
  function back() { return "?lang=" + data.lang + "&view=" + data.view; }

  function ownerPart(row) {
    var part = c.el("div", "meta");
    if (data.view === "tickets") { return part; }
    part.appendChild(c.el("span", "owner", row.owner ? w.owner + ": " + row.owner : w.nobody));
    if (data.view === "closed" || data.view === "tickets") { return part; }
    var base = "/console/inbox/" + row.user_id;
    part.appendChild(document.createTextNode(" "));
    if (row.owner !== data.me) { part.appendChild(c.postForm(base + "/claim" + back(), data.csrf, {}, w.claim, "claim")); }
    var assign = c.postForm(base + "/assign" + back(), data.csrf, {}, w.assign, "assign");
    var pick = c.el("select");
    pick.name = "staff";
    pick.setAttribute("aria-label", w.assign);
    [""].concat(data.teammates).forEach(function (name) {
      var option = c.el("option", "", name || "\u2014 " + (row.owner ? w.unassign : w.nobody) + " \u2014");
      option.value = name;
      if (name === (row.owner || "")) { option.selected = true; }
      pick.appendChild(option);
    });
    assign.insertBefore(pick, assign.lastChild);
    part.appendChild(assign);
    return part;
  }

  function sidePart(row) {
    var side = c.el("div", "side");
    if (row.status === "open" && data.view !== "tickets" && row.assigned_at) {
      // Owned: the owner's own clock, from the assignment or the customer's unanswered message.
      var owned = c.el("span", "", "");
      owned.setAttribute("data-since", row.wait_since || "");
      owned.setAttribute("data-owner", row.owner);
      side.appendChild(owned);
    } else if (row.status === "open" && data.view !== "tickets") {
      var wait = c.el("span", "", "");
      wait.setAttribute("data-started", row.started);
      wait.setAttribute("data-answered", row.answered ? "1" : "");
      side.appendChild(wait);
    } else if (row.status === "closed") {
      side.appendChild(c.el("span", "meta", w.closed_at + " " + c.localTime(row.closed)));
      if (row.csat) { side.appendChild(c.el("span", "badge", "CSAT " + row.csat + "/5")); }
      if (row.resolution) { side.appendChild(c.el("span", "meta resolution", row.resolution)); }
    } else {
      side.appendChild(c.el("span", "badge status-" + row.status, w[row.status] || row.status));
      side.appendChild(c.el("span", "meta", c.localTime(row.started)));
      side.appendChild(ticketActions(row));
    }
    return side;
  }

  function ticketActions(row) {
    var part = c.el("div", "");
    var action = "/console/tickets/" + row.ticket + "/status?lang=" + data.lang;
    if (row.status !== "pending") { part.appendChild(c.postForm(action, data.csrf, { status: "pending" }, w.pending)); }
    if (row.status !== "solved") {
      var solve = c.postForm(action, data.csrf, { status: "solved" }, w.solve, "solve");
      var note = c.el("input");
      note.name = "text"; note.size = 36; note.placeholder = w.notify; note.setAttribute("aria-label", w.notify);
      solve.insertBefore(note, solve.lastChild);
      part.appendChild(solve);
    } else { part.appendChild(c.postForm(action, data.csrf, { status: "open" }, w.open)); }
    return part;
  }

  function rowNode(row) {
    var node = c.el("div", "row" + (row.unread ? " unread" : "") + (row.overdue ? " overdue" : ""));
    node.setAttribute("data-user", row.user_id);
    var icon = c.el("span", "icon ch-" + row.channel, c.icon(row.channel));
    icon.title = row.channel;
    node.appendChild(icon);
    var main = c.el("div", "");
    var name = c.el("a", "who", row.name);
    name.href = "/console/inbox/" + row.user_id + "?lang=" + data.lang;
    main.appendChild(name);
    if (row.unread) { main.insertBefore(c.el("span", "dot"), name); }
    main.appendChild(c.el("span", "meta", " \u00B7 " + (data.stages[row.stage] || row.stage) + " \u00B7 " + reason(row.reason)));
    var p = row.preview;
    var who = !p ? "" : p.dir === "in" ? w.customer : p.author && p.author.indexOf("staff:") === 0 ? p.author.slice(6) : w.bot;
    main.appendChild(c.el("div", "preview", p ? who + ": " + p.text : ""));
    main.appendChild(ownerPart(row));
    node.appendChild(main);
    node.appendChild(sidePart(row));
    return node;
  }

  var held = null;  // an update that waits while staff type in or pick from a row
  box.addEventListener("focusout", function () {
    setTimeout(function () { if (held && !box.contains(document.activeElement)) { var rows = held; held = null; render(rows); } }, 0);
  });

  function render(rows) {
    if (box.contains(document.activeElement) && document.activeElement !== document.body) { held = rows; return; }
    box.textContent = "";
    if (!rows.length) { box.appendChild(c.el("p", "", w.nothing)); }
    rows.forEach(function (row) { box.appendChild(rowNode(row)); });
    var waiting = rows.filter(function (r) { return r.unread && r.status === "open"; }).length;
    document.title = (waiting ? "(" + waiting + ") " : "") + baseTitle;
    tick();
  }

  function tick() {
    box.querySelectorAll("[data-started]").forEach(function (node) {
      var seconds = now() - parseFloat(node.getAttribute("data-started"));
      var answered = !!node.getAttribute("data-answered");
      node.className = c.waitClass(seconds, data.sla_seconds, answered);
      node.textContent = (answered ? w.answered + " \u00B7 " : w.waiting + " ") + c.duration(seconds);
    });
    var mine = { waiting: 0, longest: 0, late: 0 };
    box.querySelectorAll("[data-since]").forEach(function (node) {
      var since = node.getAttribute("data-since"), owner = node.getAttribute("data-owner");
      var seconds = since ? now() - parseFloat(since) : 0;
      var late = !!since && seconds >= data.sla_seconds;
      node.className = c.waitClass(seconds, data.sla_seconds, !since);
      node.textContent = owner + " \u00B7 " + (since ? w.waiting_for + " " + c.duration(seconds) : w.answered)
        + (late ? " \u00B7 " + w.overdue : "");
      node.closest(".row").classList.toggle("overdue", late);
      if (since && owner === data.me) {
        mine.waiting += 1; mine.longest = Math.max(mine.longest, seconds); mine.late += late ? 1 : 0;
      }
    });
    var summary = document.getElementById("mine-summary");
    if (summary) {
      summary.textContent = w.mine_summary.replace("{waiting}", mine.waiting)
        .replace("{longest}", c.duration(mine.longest)).replace("{late}", mine.late);
    }
  }

  render(data.rows);
  inboxAlerts.start(w, data.lang, data.arrivals);
  setInterval(tick, 1000);
  var source = new EventSource("/console/inbox/stream?view=" + data.view + "&q=" + encodeURIComponent(data.q));
  source.onmessage = function (event) {
    var update = JSON.parse(event.data);
    skew = Date.now() / 1000 - update.now;
    render(update.rows);
    inboxAlerts.update(update.arrivals);
  };
  source.onopen = function () { live.textContent = w.live; live.className = "live"; };
  source.onerror = function () { live.textContent = w.offline; live.className = "live off"; };
  source.addEventListener("ended", function () { source.close(); });
}());

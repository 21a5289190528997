/* What the inbox's pages share: elements, local times, waiting colours, small forms. */
var inboxCommon = (function () {
  "use strict";
  // Short coloured channel marks: emoji fonts are not on every staff machine.
  var ICONS = { rest: "Web", telegram: "TG", zalo: "Zalo", messenger: "FB", cli: "CLI" };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }  // text, never HTML
    return node;
  }

  function localTime(epoch) {
    if (!epoch) { return ""; }
    var d = new Date(epoch * 1000), now = new Date();
    var sameDay = d.toDateString() === now.toDateString();
    return sameDay ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
      : d.toLocaleString([], { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
  }

  function duration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    if (seconds < 60) { return seconds + "s"; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + " min"; }
    return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
  }

  // Against the SLA: green under half of it, amber under all of it, red past it.
  function waitClass(seconds, sla, answered) {
    if (answered) { return "wait done"; }
    return "wait " + (seconds >= sla ? "late" : seconds >= sla / 2 ? "soon" : "ok");
  }

  function postForm(action, csrf, fields, label, cls) {
    var form = el("form");
    form.method = "post";
    form.action = action;
    var token = el("input");
    token.type = "hidden"; token.name = "csrf"; token.value = csrf;
    form.appendChild(token);
    Object.keys(fields || {}).forEach(function (name) {
      var input = el("input");
      input.type = "hidden"; input.name = name; input.value = fields[name];
      form.appendChild(input);
    });
    var button = el("button", cls || "", label);
    form.appendChild(button);
    return form;
  }

  function localiseTimes(root) {
    (root || document).querySelectorAll("time[data-at]").forEach(function (node) {
      node.textContent = localTime(parseFloat(node.getAttribute("data-at")));
    });
  }

  return { el: el, localTime: localTime, duration: duration, waitClass: waitClass, postForm: postForm,
    icon: function (channel) { return ICONS[channel] || channel; }, localiseTimes: localiseTimes };
}());

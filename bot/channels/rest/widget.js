/* SaleMate web chat: one script tag on any page.
 *   <script src="https://bot.example.com/chat/widget.js" data-locale="vi"></script>
 * Talks to the bot's REST channel; the conversation survives page reloads
 * (localStorage); ?ref=<code> in the page's address is a friend's referral code. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script.src, location.href).origin;
  var fullPage = script.hasAttribute("data-full-page");
  var locale = script.getAttribute("data-locale") ||
    ((navigator.language || "vi").toLowerCase().indexOf("vi") === 0 ? "vi" : "en");
  var store = window.localStorage;
  var KEY = "engagebot:" + base;
  // The session (a sender and its token) comes from the bot, one per browser; the
  // token is sent with every call, so nobody else can read this chat's replies.
  var state = JSON.parse(store.getItem(KEY) || "null") || { messages: [] };
  var starting = null;
  var ref = new URLSearchParams(location.search).get("ref");
  var labels = {
    vi: { title: "Trò chuyện với SaleMate", placeholder: "Nhập tin nhắn…", send: "Gửi", error: "Không gửi được, bạn thử lại nhé.",
          asked: "Đã báo nhân viên hỗ trợ — họ sẽ trả lời ngay tại đây.", with: "Bạn đang trò chuyện với ", staff: "Nhân viên", typing: "Đang trả lời…",
          telegram: "Tiếp tục trên Telegram" },
    en: { title: "Chat with SaleMate", placeholder: "Type a message…", send: "Send", error: "Could not send; please try again.",
          asked: "A person from our team has been asked to help — they'll answer right here.", with: "You're chatting with ", staff: "Support", typing: "Typing…",
          telegram: "Continue on Telegram" }
  }[locale];

  function save() { store.setItem(KEY, JSON.stringify(state)); }

  var css = document.createElement("style");
  css.textContent =
    ".eb-box{font:15px/1.4 system-ui,sans-serif;display:flex;flex-direction:column;background:#fff;border:1px solid #ccd;border-radius:12px;overflow:hidden}" +
    ".eb-float{position:fixed;right:16px;bottom:16px;width:min(360px,calc(100vw - 32px));height:min(520px,calc(100vh - 32px));box-shadow:0 4px 24px #0003;z-index:2147483000}" +
    ".eb-full{position:fixed;inset:0;border-radius:0;border:0}" +
    ".eb-head{background:#0a6;color:#fff;padding:10px 14px;font-weight:600;display:flex;justify-content:space-between;align-items:center;gap:8px}" +
    ".eb-link{border:1px solid #fff;background:transparent;color:#fff;border-radius:12px;padding:3px 9px;font:12px system-ui,sans-serif;cursor:pointer}" +
    ".eb-banner{display:none;background:#fff6d9;color:#6b4e00;padding:8px 14px;font-size:14px;border-bottom:1px solid #f0dca0}" +
    ".eb-banner.eb-on{display:block}.eb-banner.eb-person{background:#e8efff;color:#23408e;border-color:#c5d3f5}" +
    ".eb-log{flex:1;overflow-y:auto;padding:10px;background:#f6f7f9}" +
    ".eb-full .eb-log>*,.eb-full .eb-form{max-width:760px;margin-left:auto;margin-right:auto}" +
    ".eb-full .eb-form{width:100%;box-sizing:border-box}" +
    ".eb-row{display:flex;flex-direction:column;margin:6px 0}.eb-row.eb-me{align-items:flex-end}" +
    ".eb-msg{max-width:min(85%,520px);padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;box-sizing:border-box}" +
    ".eb-in{background:#0a6;color:#fff}.eb-in a{color:#fff}.eb-out{background:#fff;border:1px solid #dde}" +
    ".eb-staff{background:#e8efff;border:1px solid #b9c9f2}" +
    ".eb-who{font-size:12px;font-weight:600;color:#23408e;margin:0 4px 2px}.eb-time{font-size:11px;color:#889;margin:2px 4px 0}" +
    ".eb-msg a{color:#07794a;text-decoration:underline}" +
    ".eb-typing{color:#778;font-style:italic;font-size:13px;margin:4px 2px}" +
    ".eb-buttons{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 8px}" +
    ".eb-buttons button{border:1px solid #0a6;color:#0a6;background:#fff;border-radius:14px;padding:5px 10px;cursor:pointer}" +
    ".eb-form{display:flex;border-top:1px solid #dde}.eb-form input{flex:1;border:0;padding:12px;font:inherit;outline:none}" +
    ".eb-form button{border:0;background:#0a6;color:#fff;padding:0 16px;font:inherit;cursor:pointer}";
  document.head.appendChild(css);

  var box = document.createElement("div");
  box.className = "eb-box " + (fullPage ? "eb-full" : "eb-float");
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", labels.title);
  box.innerHTML = '<div class="eb-head"><span></span><button type="button" class="eb-link"></button></div><div class="eb-banner" role="status"></div><div class="eb-log" aria-live="polite"></div>' +
    '<form class="eb-form"><input name="text" autocomplete="off" maxlength="4096"><button type="submit"></button></form>';
  box.querySelector(".eb-head span").textContent = labels.title;
  // A one-time link code and Telegram deep link (`/link`): the same customer on Telegram.
  var linkButton = box.querySelector(".eb-link");
  linkButton.textContent = labels.telegram;
  linkButton.onclick = function () { send("/link", labels.telegram); };
  var banner = box.querySelector(".eb-banner");
  var log = box.querySelector(".eb-log");
  var form = box.querySelector("form");
  var input = form.elements.text;
  input.placeholder = labels.placeholder;
  input.setAttribute("aria-label", labels.placeholder);
  form.querySelector("button").textContent = labels.send;
  document.body.appendChild(box);

  // Links become clickable only for http(s) addresses (and bare ones like shop.vn/x, as https).
  var LINK = /\b(?:https?:\/\/[^\s<>"]+|(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|net|org|io|app)(?:\/[^\s<>"]*)?)/gi;
  function withLinks(node, text) {
    var at = 0;
    text.replace(LINK, function (found, offset) {
      var trimmed = found.replace(/[.,;:!?)\]]+$/, "");
      node.appendChild(document.createTextNode(text.slice(at, offset)));
      var href = /^https?:\/\//i.test(trimmed) ? trimmed : "https://" + trimmed;
      var link = document.createElement("a");
      try { link.href = new URL(href).href; } catch (e) { link = null; }
      if (link && /^https?:$/.test(new URL(link.href).protocol)) {
        link.textContent = trimmed;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        node.appendChild(link);
      } else { node.appendChild(document.createTextNode(trimmed)); }
      at = offset + trimmed.length;
      return found;
    });
    node.appendChild(document.createTextNode(text.slice(at)));
  }

  function clock(at) {
    return new Date(at).toLocaleTimeString(locale === "vi" ? "vi-VN" : "en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function show(message) {
    var row = document.createElement("div");
    row.className = "eb-row" + (message.from === "me" ? " eb-me" : "");
    if (message.author) {
      var who = document.createElement("div");
      who.className = "eb-who";
      who.textContent = message.author + " · " + labels.staff;
      row.appendChild(who);
    }
    var bubble = document.createElement("div");
    bubble.className = "eb-msg " + (message.from === "me" ? "eb-in" : message.author ? "eb-staff" : "eb-out");
    withLinks(bubble, message.text);  // text nodes and checked links, never HTML
    row.appendChild(bubble);
    if (message.at) {
      var time = document.createElement("div");
      time.className = "eb-time";
      time.textContent = clock(message.at);
      row.appendChild(time);
    }
    log.insertBefore(row, typing.parentNode === log ? typing : null);
    if (message.buttons && message.buttons.length) {
      // Only the latest message's quick replies stay: older ones no longer apply.
      log.querySelectorAll(".eb-buttons").forEach(function (row) { row.remove(); });
      state.messages.forEach(function (m) { if (m !== message) { m.buttons = []; } });
      var buttons = document.createElement("div");
      buttons.className = "eb-buttons";
      message.buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.onclick = function () { buttons.remove(); message.buttons = []; save(); send(b.payload, b.title); };
        buttons.appendChild(button);
      });
      log.insertBefore(buttons, typing.parentNode === log ? typing : null);
    }
    log.scrollTop = log.scrollHeight;
  }

  var typing = document.createElement("div");
  typing.className = "eb-typing";
  typing.textContent = labels.typing;
  var running = 0;
  function busy(delta) {
    running += delta;
    if (running > 0 && typing.parentNode !== log) { log.appendChild(typing); log.scrollTop = log.scrollHeight; }
    if (running <= 0 && typing.parentNode === log) { log.removeChild(typing); }
  }

  function add(message) {
    message.at = message.at || Date.now();
    state.messages.push(message); state.messages = state.messages.slice(-200); save(); show(message);
  }

  function received(replies) {
    replies.forEach(function (r) {
      if (r.author) { state.agent = r.author; }
      add({ from: "bot", text: r.text, buttons: r.buttons || [], author: r.author || "" });
    });
  }

  function session(renew) {
    if (renew) { state.sender = null; state.token = null; starting = null; }
    if (state.sender && state.token) { return Promise.resolve(); }
    starting = starting || fetch(base + "/webhooks/rest/session", { method: "POST" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) { state.sender = s.sender; state.token = s.token; save(); })
      .finally(function () { starting = null; });
    return starting;
  }

  // A call with the session's token; a refused token (a new server secret) gets a new
  // session and one more try.
  function call(path, options, retried) {
    return session(false).then(function () {
      var headers = Object.assign({ Authorization: "Bearer " + state.token }, options.headers);
      return fetch(base + path(), Object.assign({}, options, { headers: headers }));
    }).then(function (r) {
      if (r.status === 401 && !retried) { return session(true).then(function () { return call(path, options, true); }); }
      return r;
    });
  }

  // `shown` is what the customer sees as their message; `quiet` sends without a bubble
  // (the greeting asked for when the chat opens for the first time).
  function send(text, shown, quiet) {
    if (!quiet) { add({ from: "me", text: shown || text }); }
    var metadata = { locale: locale };
    if (ref && !state.referred) { metadata.ref = ref; state.referred = true; }
    var id = Date.now() + "-" + Math.random().toString(36).slice(2, 8);
    busy(1);
    call(function () { return "/webhooks/rest/webhook"; }, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      get body() { return JSON.stringify({ sender: state.sender, message: text, metadata: metadata, message_id: state.sender + "-" + id }); }
    }).then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(received)
      .catch(function () { add({ from: "bot", text: labels.error }); })
      .finally(function () { busy(-1); checkStatus(); });
  }

  function showStatus(status) {
    banner.className = "eb-banner";
    if (!status.handoff) { return; }
    banner.className = "eb-banner eb-on" + (status.answered ? " eb-person" : "");
    banner.textContent = status.answered && state.agent ? labels.with + state.agent : labels.asked;
  }

  function checkStatus() {
    if (!state.sender) { return Promise.resolve(); }
    return call(function () { return "/webhooks/rest/status/" + encodeURIComponent(state.sender); }, {})
      .then(function (r) { return r.ok ? r.json() : { handoff: false }; })
      .then(showStatus)
      .catch(function () {});
  }

  function poll() {
    call(function () { return "/webhooks/rest/outbox/" + encodeURIComponent(state.sender); }, {})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(received)
      .then(checkStatus)
      .catch(function () {})
      .then(function () { setTimeout(poll, 3000); });
  }

  form.onsubmit = function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (text) { input.value = ""; send(text); }
  };
  state.messages.forEach(show);
  save();
  if (!state.messages.length) { send("/greet", null, true); }  // the policies' greeting and menu
  poll();
}());

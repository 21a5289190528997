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
    vi: { title: "Trò chuyện với SaleMate", placeholder: "Nhập tin nhắn…", send: "Gửi", error: "Không gửi được, bạn thử lại nhé." },
    en: { title: "Chat with SaleMate", placeholder: "Type a message…", send: "Send", error: "Could not send; please try again." }
  }[locale];

  function save() { store.setItem(KEY, JSON.stringify(state)); }

  var css = document.createElement("style");
  css.textContent =
    ".eb-box{font:15px/1.4 system-ui,sans-serif;display:flex;flex-direction:column;background:#fff;border:1px solid #ccd;border-radius:12px;overflow:hidden}" +
    ".eb-float{position:fixed;right:16px;bottom:16px;width:min(360px,calc(100vw - 32px));height:min(520px,calc(100vh - 32px));box-shadow:0 4px 24px #0003;z-index:2147483000}" +
    ".eb-full{position:fixed;inset:0;border-radius:0;border:0}" +
    ".eb-head{background:#0a6;color:#fff;padding:10px 14px;font-weight:600}" +
    ".eb-log{flex:1;overflow-y:auto;padding:10px;background:#f6f7f9}" +
    ".eb-msg{max-width:85%;margin:6px 0;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}" +
    ".eb-in{margin-left:auto;background:#0a6;color:#fff}.eb-out{background:#fff;border:1px solid #dde}" +
    ".eb-buttons{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 8px}" +
    ".eb-buttons button{border:1px solid #0a6;color:#0a6;background:#fff;border-radius:14px;padding:5px 10px;cursor:pointer}" +
    ".eb-form{display:flex;border-top:1px solid #dde}.eb-form input{flex:1;border:0;padding:12px;font:inherit;outline:none}" +
    ".eb-form button{border:0;background:#0a6;color:#fff;padding:0 16px;font:inherit;cursor:pointer}";
  document.head.appendChild(css);

  var box = document.createElement("div");
  box.className = "eb-box " + (fullPage ? "eb-full" : "eb-float");
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", labels.title);
  box.innerHTML = '<div class="eb-head"></div><div class="eb-log" aria-live="polite"></div>' +
    '<form class="eb-form"><input name="text" autocomplete="off" maxlength="4096"><button type="submit"></button></form>';
  box.querySelector(".eb-head").textContent = labels.title;
  var log = box.querySelector(".eb-log");
  var form = box.querySelector("form");
  var input = form.elements.text;
  input.placeholder = labels.placeholder;
  form.querySelector("button").textContent = labels.send;
  document.body.appendChild(box);

  function show(message) {
    var bubble = document.createElement("div");
    bubble.className = "eb-msg " + (message.from === "me" ? "eb-in" : "eb-out");
    bubble.textContent = message.text;  // text, never HTML: what anyone typed stays text
    log.appendChild(bubble);
    if (message.buttons && message.buttons.length) {
      var row = document.createElement("div");
      row.className = "eb-buttons";
      message.buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.onclick = function () { row.remove(); message.buttons = []; save(); send(b.payload, b.title); };
        row.appendChild(button);
      });
      log.appendChild(row);
    }
    log.scrollTop = log.scrollHeight;
  }

  function add(message) { state.messages.push(message); state.messages = state.messages.slice(-200); save(); show(message); }

  function received(replies) {
    replies.forEach(function (r) { add({ from: "bot", text: r.text, buttons: r.buttons || [] }); });
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

  function send(text, shown) {
    add({ from: "me", text: shown || text });
    var metadata = { locale: locale };
    if (ref && state.messages.length === 1) { metadata.ref = ref; }
    var id = Date.now() + "-" + Math.random().toString(36).slice(2, 8);
    call(function () { return "/webhooks/rest/webhook"; }, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      get body() { return JSON.stringify({ sender: state.sender, message: text, metadata: metadata, message_id: state.sender + "-" + id }); }
    }).then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(received)
      .catch(function () { add({ from: "bot", text: labels.error }); });
  }

  function poll() {
    call(function () { return "/webhooks/rest/outbox/" + encodeURIComponent(state.sender); }, {})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(received)
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
  poll();
}());

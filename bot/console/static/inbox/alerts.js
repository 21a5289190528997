/* Opt-in alerts for the inbox: a browser notification and a short beep for each new
   handoff or ticket the live stream brings. Off unless staff switch it on (remembered in
   this browser); the beep is made here with WebAudio, so nothing is fetched elsewhere. */
var inboxAlerts = (function () {
  "use strict";
  var KEY = "engagebot.inbox.notifications";
  var words = {}, lang = "en", known = null, audio = null, toggle = null, status = null;

  function supported() { return "Notification" in window; }
  function wanted() { return localStorage.getItem(KEY) === "on"; }
  function allowed() { return supported() && Notification.permission === "granted"; }

  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      audio = audio || new Context();
      if (audio.state === "suspended") { audio.resume(); }
      var tone = audio.createOscillator(), volume = audio.createGain(), t = audio.currentTime;
      tone.frequency.value = 880;
      volume.gain.setValueAtTime(0.15, t);
      volume.gain.exponentialRampToValueAtTime(0.001, t + 0.3);
      tone.connect(volume); volume.connect(audio.destination);
      tone.start(t); tone.stop(t + 0.3);
    } catch (e) { /* no sound device: the notification alone still tells */ }
  }

  function announce(item) {
    var title = (item.kind === "ticket" ? words.new_ticket : words.new_handoff) + ": " + item.name;
    var reason = words["reason_" + item.reason] || String(item.reason || "").replace(/_/g, " ");
    var shown = new Notification(title, { body: reason, tag: item.key });
    shown.onclick = function () {
      window.focus();
      location.href = "/console/inbox/" + item.user_id + "?lang=" + lang;
    };
    beep();
  }

  // The first list only says what is already there; later lists alert about what is new.
  function update(items) {
    var keys = {};
    items = items || [];
    items.forEach(function (item) { keys[item.key] = true; });
    if (known !== null && wanted() && allowed()) {
      items.filter(function (item) { return !known[item.key]; }).forEach(announce);
    }
    known = keys;
  }

  function show() {
    toggle.checked = wanted() && allowed();
    status.textContent = wanted() && supported() && Notification.permission === "denied" ? words.notify_blocked : "";
  }

  function switched() {
    if (!toggle.checked) { localStorage.setItem(KEY, "off"); show(); return; }
    if (!supported()) { toggle.checked = false; return; }
    localStorage.setItem(KEY, "on");
    beep();  // staff hear what an alert sounds like; the click also lets the page play sound
    Promise.resolve(Notification.requestPermission()).then(show, show);
  }

  function start(pageWords, pageLang, items) {
    words = pageWords; lang = pageLang;
    toggle = document.getElementById("notify");
    status = document.getElementById("notify-status");
    toggle.addEventListener("change", switched);
    show();
    update(items);
  }

  return { start: start, update: update };
}());

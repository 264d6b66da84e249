// The browser phone: asks the server to run the call so far, shows and speaks what is said,
// and waits for a key (keypad or keyboard) or for the outcome of a dial.
(function () {
  "use strict";
  var root = document.getElementById("phone");
  var transcript = document.getElementById("transcript");
  var status = document.getElementById("status");
  var lineSelect = document.getElementById("line");
  var atField = document.getElementById("at");
  var callButton = document.getElementById("call");
  var hangupButton = document.getElementById("hangup");
  var keyButtons = Array.prototype.slice.call(document.querySelectorAll(".key"));
  var dialBox = document.getElementById("dial");
  var call = null;
  var noVoiceSaid = false;

  var LABELS = { say: "says", keys: "keys", dial: "dial", hangup: "end", error: "error" };

  function note(kind, text) {
    var entry = document.createElement("p");
    entry.className = "entry " + kind;
    var label = document.createElement("span");
    label.className = "kind";
    label.textContent = LABELS[kind] || kind;
    entry.appendChild(label);
    entry.appendChild(document.createTextNode(" " + text));
    transcript.appendChild(entry);
    transcript.scrollTop = transcript.scrollHeight;
  }

  function voiceFor(language) {
    if (!window.speechSynthesis) { return null; }
    var wanted = language.toLowerCase();
    var base = wanted.split("-")[0];
    var voices = window.speechSynthesis.getVoices();
    var near = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = voices[i].lang.toLowerCase().replace("_", "-");
      if (lang === wanted) { return voices[i]; }
      if (!near && (lang.split("-")[0] === base || (base === "nb" && lang.indexOf("no") === 0))) {
        near = voices[i];
      }
    }
    return near;
  }

  // Speaks the texts in turn when the browser has a voice; then() runs when all are said.
  function speak(texts, language, then) {
    var voice = texts.length ? voiceFor(language) : null;
    if (!voice) {
      if (texts.length && !noVoiceSaid) {
        noVoiceSaid = true;
        status.textContent = "This browser has no voice for " + language + ": prompts are shown, not spoken.";
      }
      then();
      return;
    }
    texts.forEach(function (text, index) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      if (index === texts.length - 1) { utterance.onend = then; utterance.onerror = then; }
      window.speechSynthesis.speak(utterance);
    });
  }

  function setKeys(enabled) {
    keyButtons.forEach(function (button) { button.disabled = !enabled; });
  }

  function finish(text) {
    if (call && call.timer) { clearTimeout(call.timer); }
    call = null;
    setKeys(false);
    dialBox.hidden = true;
    callButton.disabled = false;
    hangupButton.disabled = true;
    status.textContent = text;
  }

  function show(answer) {
    if (!call) { return; }
    var fresh = answer.events.slice(call.shown);
    call.shown = answer.events.length;
    call.sid = answer.sid;
    var said = [];
    fresh.forEach(function (event) {
      note(event[0], event[1]);
      if (event[0] === "say") { said.push(event[1]); }
    });
    var current = call;
    var pressed = call.keys.length;
    if (answer.waiting === "keys") {
      setKeys(true);  // as on a phone, a key may cut a prompt short
      status.textContent = "Waiting for a key.";
    } else if (answer.waiting === "dial") {
      document.getElementById("dial-numbers").textContent = answer.numbers.join(", ");
      dialBox.hidden = false;
      status.textContent = "Dialling: choose how it goes.";
    }
    speak(said, answer.language, function () {
      if (call !== current || call.keys.length !== pressed) { return; }
      if (answer.waiting === "keys") {
        status.textContent = "Waiting for a key (" + answer.timeout + " s).";
        call.timer = setTimeout(function () { press("-"); }, answer.timeout * 1000);
      } else if (!answer.waiting) {
        finish(answer.how || "The call has ended.");
      }
    });
  }

  function send() {
    var current = call;
    fetch(root.dataset.callUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": root.dataset.csrf },
      body: JSON.stringify({ line: current.line, at: current.at, keys: current.keys,
                             dials: current.dials, sid: current.sid })
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (call !== current) { return; }
        if (!response.ok) { note("error", answer.error || response.statusText); finish("Not called."); return; }
        show(answer);
      });
    }).catch(function () {
      if (call === current) { note("error", "The server did not answer."); finish("Not called."); }
    });
  }

  function press(key) {
    if (!call || keyButtons[0].disabled) { return; }
    clearTimeout(call.timer);
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    setKeys(false);
    if (key !== "-") { status.textContent = "Pressed " + key + "."; }
    call.keys.push(key);
    send();
  }

  callButton.addEventListener("click", function () {
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    transcript.textContent = "";
    call = { line: lineSelect.value, at: atField.value, keys: [], dials: [], sid: null, shown: 0, timer: null };
    callButton.disabled = true;
    hangupButton.disabled = false;
    status.textContent = "Calling…";
    send();
  });

  hangupButton.addEventListener("click", function () {
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    note("hangup", "you hang up");
    finish("You hung up.");
  });

  keyButtons.forEach(function (button) {
    button.addEventListener("click", function () { press(button.dataset.key); });
  });

  dialBox.addEventListener("click", function (event) {
    var outcome = event.target.dataset && event.target.dataset.outcome;
    if (!outcome || !call) { return; }
    dialBox.hidden = true;
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    call.dials.push(outcome);
    send();
  });

  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if ("0123456789*#".indexOf(event.key) >= 0 && event.key.length === 1) {
      event.preventDefault();
      press(event.key);
    }
  });

  if (window.speechSynthesis) { window.speechSynthesis.getVoices(); }  // starts loading them

  lineSelect.addEventListener("change", function () {
    window.location.search = "?line=" + encodeURIComponent(lineSelect.value);
  });
})();

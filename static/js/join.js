/* Joining a class (/<locale>/join): the code and a nickname become an `enrollment` item in the outbox, so it
   works offline. The item's id is the learner's id from then on: it is kept on this phone (localStorage) and
   app.js adds it to every later quiz attempt and lesson progress item. The class's name comes back with the
   server's answer once the phone connects. */
(function () {
  "use strict";
  var form = document.querySelector("[data-join-form]");
  var wordsElement = document.getElementById("join-words");
  if (!form || !wordsElement) return;
  var words = JSON.parse(wordsElement.textContent);
  var status = document.querySelector("[data-join-status]");
  var again = document.querySelector("[data-join-again]");
  var LEARNER_KEY = "riskedu.learner";
  var CODE = /^[A-HJ-NP-Z2-9]{6}$/;
  var NICKNAME_MAX = 40;
  var PHONE_DIGITS = 7;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function loadLearner() {
    try { return JSON.parse(localStorage.getItem(LEARNER_KEY) || "null"); } catch (error) { return null; }
  }

  function saveLearner(learner) {
    try { localStorage.setItem(LEARNER_KEY, JSON.stringify(learner)); } catch (error) { /* private mode */ }
  }

  function normaliseCode(text) {
    return window.riskeduDigits.ascii(text).replace(/[\s-]+/g, "").toUpperCase();
  }

  function nicknameProblem(nickname) {
    if (!nickname) return words.nicknameEmpty;
    if (nickname.length > NICKNAME_MAX) return words.nicknameTooLong;
    var digits = (nickname.match(/\d/g) || []).length;
    if (nickname.indexOf("@") !== -1 || digits >= PHONE_DIGITS) return words.nicknamePrivate;
    return "";
  }

  function showProblem(name, text) {
    var problem = form.querySelector('[data-problem-for="' + name + '"]');
    problem.textContent = text;
    problem.hidden = !text;
    form.elements[name].setAttribute("aria-invalid", text ? "true" : "false");
    return !text;
  }

  function showForm(visible) {
    form.hidden = !visible;
    again.hidden = visible;
  }

  function say(text, state) {
    status.textContent = text;
    status.dataset.state = state;
    status.hidden = false;
  }

  function render() {
    var learner = loadLearner();
    if (!learner) {
      status.hidden = true;
      showForm(true);
      return Promise.resolve();
    }
    var outbox = window.riskeduOutbox;
    return (outbox ? outbox.all() : Promise.resolve([])).then(function (items) {
      var item = items.filter(function (candidate) { return candidate.id === learner.id; })[0];
      var state = item ? item.state : (learner.className ? "received" : "saved");
      if (state === "received") {
        var className = (item && item.result && item.result.class_name) || learner.className || learner.code;
        if (learner.className !== className) {
          learner.className = className;
          saveLearner(learner);
        }
        say(fill(words.joined, { name: className, nickname: learner.nickname }), state);
        showForm(false);
      } else if (state === "attention") {
        if (!learner.rejected) {
          // Later quizzes should not carry the id of a join the server refused.
          learner.rejected = true;
          saveLearner(learner);
        }
        // The server's own words (e.g. "no class has this code"), in the phone's language.
        say(fill(words.attention, { message: item.error || "" }), state);
        form.elements.nickname.value = form.elements.nickname.value || learner.nickname;
        showForm(true);
      } else {
        say(fill(words.waiting, { code: learner.code, nickname: learner.nickname }), state);
        showForm(false);
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = normaliseCode(form.elements.class_code.value);
    var nickname = form.elements.nickname.value.trim();
    var codeOk = showProblem("class_code", CODE.test(code) ? "" : words.codeShape);
    var nicknameOk = showProblem("nickname", nicknameProblem(nickname));
    if (!codeOk || !nicknameOk || !window.riskeduApp) return;
    var id = window.crypto.randomUUID();
    // Kept before the outbox has the item, so a quiz taken right after already carries the learner's id.
    saveLearner({ id: id, code: code, nickname: nickname, joinedAt: new Date().toISOString() });
    render();
    window.riskeduApp.record("enrollment", { class_code: code, nickname: nickname }, code, id).then(render);
  });

  again.addEventListener("click", function () {
    showForm(true);
    form.elements.class_code.focus();
  });

  // The QR code's link: /az/join?code=K7Q4M2 (the offline pack serves this page whatever the query).
  var fromLink = new URLSearchParams(window.location.search).get("code");
  if (fromLink) form.elements.class_code.value = normaliseCode(fromLink);
  if (window.riskeduOutbox) window.riskeduOutbox.subscribe(render);
  render();
})();

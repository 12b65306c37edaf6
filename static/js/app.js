/* Every page: install the offline pack (asking first on a metered connection), keep the outbox moving
   (on open, on "online", on a timer with backoff, through Background Sync, and from "Send now"), and show
   the person the truth about what is saved, sending, received or needs attention. */
(function () {
  "use strict";
  var wordsElement = document.getElementById("app-words");
  if (!wordsElement) return;
  var words = JSON.parse(wordsElement.textContent);
  var locale = document.documentElement.lang;
  var outbox = window.riskeduOutbox;
  var LOCALES_KEY = "riskedu.offline-locales";
  var MIN_DELAY = 30 * 1000;
  var MAX_DELAY = 15 * 60 * 1000;
  var retryDelay = MIN_DELAY;
  var retryTimer = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function size(bytes) {
    if (bytes >= 1024 * 1024) return fill(words.megabytes, { n: (bytes / (1024 * 1024)).toFixed(1) });
    return fill(words.kilobytes, { n: Math.max(1, Math.round(bytes / 1024)) });
  }

  /* ---- offline pack (service worker) ---- */

  function offlineLocales() {
    var stored = [];
    try { stored = JSON.parse(localStorage.getItem(LOCALES_KEY) || "[]"); } catch (error) { stored = []; }
    if (stored.indexOf(locale) === -1) stored.push(locale);
    stored = stored.slice(-4);
    try { localStorage.setItem(LOCALES_KEY, JSON.stringify(stored)); } catch (error) { /* private mode */ }
    return stored;
  }

  function looksMetered() {
    var connection = navigator.connection;
    if (!connection) return false;
    return Boolean(connection.saveData) || connection.type === "cellular" ||
      ["slow-2g", "2g", "3g"].indexOf(connection.effectiveType) !== -1;
  }

  function showBanner(text, actions) {
    var banner = document.querySelector("[data-banner]");
    if (!banner) return;
    var message = document.createElement("p");
    message.textContent = text;
    var buttons = document.createElement("p");
    buttons.className = "banner__actions";
    actions.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button" + (action.primary ? " button--primary" : "");
      button.textContent = action.label;
      button.addEventListener("click", function () { banner.hidden = true; action.run(); });
      buttons.appendChild(button);
    });
    banner.replaceChildren(message, buttons);
    banner.hidden = false;
  }

  function watchForUpdates(registration) {
    function offer(worker) {
      showBanner(words.updateReady, [{
        label: words.useUpdate, primary: true,
        run: function () { worker.postMessage({ type: "SKIP_WAITING" }); },
      }]);
    }
    if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
    registration.addEventListener("updatefound", function () {
      var worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", function () {
        // "installed" with a page already controlled: the whole new pack is stored and waiting.
        if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
      });
    });
  }

  function installPack(scriptUrl) {
    return navigator.serviceWorker.register(scriptUrl).then(function (registration) {
      watchForUpdates(registration);
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
      return registration;
    });
  }

  function setUpOffline() {
    if (!("serviceWorker" in navigator)) return Promise.resolve(null);
    var reloading = false;
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (reloading || !window.riskeduUpdateAccepted) return;
      reloading = true;
      window.location.reload();
    });
    var scriptUrl = "/sw.js?locales=" + offlineLocales().join(",");
    return navigator.serviceWorker.getRegistration("/").then(function (existing) {
      if (existing || !looksMetered() || sessionStorage.getItem("riskedu.pack-declined")) {
        return existing || !looksMetered() ? installPack(scriptUrl) : null;
      }
      // A first download on a metered-looking connection: say how big it is, and ask.
      return fetch("/" + locale + "/pack.json").then(function (response) { return response.json(); })
        .then(function (pack) {
          showBanner(fill(words.packPrompt, { size: size(pack.bytes) }), [
            { label: words.packSave, primary: true, run: function () { installPack(scriptUrl); } },
            { label: words.notNow, run: function () { sessionStorage.setItem("riskedu.pack-declined", "1"); } },
          ]);
          return null;
        });
    });
  }

  /* ---- outbox ---- */

  function sendNow(reason) {
    if (!outbox) return Promise.resolve(null);
    return outbox.send(reason, locale, words.appVersion).then(function (outcome) {
      clearTimeout(retryTimer);
      if (outcome.ok) retryDelay = MIN_DELAY;
      else retryDelay = Math.min(retryDelay * 2, MAX_DELAY);
      if (outcome.remaining > 0) {
        retryTimer = setTimeout(function () { sendNow("timer"); }, Math.max(outcome.retryAfter || 0, retryDelay));
      }
      return outcome;
    });
  }

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("riskedu-outbox");
      return null;
    }).catch(function () { /* no Background Sync here: the other triggers still run */ });
  }

  /* An IndexedDB write still running when the person leaves the page is lost. So each new item is first
     written synchronously to a small journal in localStorage, and leaves it only once the outbox has it;
     whatever is left there (a tab closed at the wrong moment) moves to the outbox on the next page. */
  var JOURNAL_KEY = "riskedu.outbox-journal";

  function readJournal() {
    try { return JSON.parse(localStorage.getItem(JOURNAL_KEY) || "[]"); } catch (error) { return []; }
  }

  function writeJournal(items) {
    try { localStorage.setItem(JOURNAL_KEY, JSON.stringify(items)); } catch (error) { /* full: IndexedDB still gets it */ }
  }

  function settle(item) {
    return outbox.keep(item).then(function () {
      writeJournal(readJournal().filter(function (entry) { return entry.id !== item.id; }));
      return item;
    });
  }

  function drainJournal() {
    if (!outbox) return Promise.resolve();
    return Promise.all(readJournal().map(settle));
  }

  /* Once the learner joined a class (static/js/join.js), quiz attempts and lesson progress carry their id,
     so the teacher's dashboard can count them. */
  var LEARNER_KINDS = ["quiz_attempt", "lesson_progress"];

  function withLearner(kind, data) {
    var learner = null;
    try { learner = JSON.parse(localStorage.getItem("riskedu.learner") || "null"); } catch (error) { learner = null; }
    if (!learner || !learner.id || learner.rejected || LEARNER_KINDS.indexOf(kind) === -1 || data.learner_id) return data;
    return Object.assign({}, data, { learner_id: learner.id });
  }

  // `id` is for items whose id means something before they are sent (an enrollment's id is the learner's).
  function record(kind, data, label, id) {
    if (!outbox) return Promise.resolve(null);
    var item = outbox.make(kind, withLearner(kind, data), label);
    if (id) item.id = id;
    writeJournal(readJournal().concat([item]));
    return settle(item).then(function () {
      askForBackgroundSync();
      sendNow("created");
      return item;
    });
  }

  function stateText(item) {
    var text = words.states[item.state] || item.state;
    if (item.state === "received" && item.receipt) text += " · " + fill(words.receipt, { receipt: item.receipt });
    if (item.state === "attention" && item.error) text += ": " + item.error;
    return text;
  }

  function renderOutbox() {
    if (!outbox) return;
    outbox.all().then(function (items) {
      var waitingCount = items.filter(function (i) { return i.state === "saved" || i.state === "sending"; }).length;
      var attention = items.filter(function (i) { return i.state === "attention"; }).length;
      var chip = document.querySelector("[data-outbox-chip]");
      if (chip) {
        var parts = [];
        if (waitingCount) parts.push(fill(words.waitingCount, { count: waitingCount }));
        if (attention) parts.push(fill(words.attentionCount, { count: attention }));
        chip.textContent = parts.join(" · ");
        chip.hidden = parts.length === 0;
      }
      var summary = document.querySelector("[data-outbox-summary]");
      if (summary) summary.textContent = waitingCount ? fill(words.waitingCount, { count: waitingCount }) : words.nothingWaiting;
      var list = document.querySelector("[data-outbox-list]");
      if (!list) return;
      list.replaceChildren.apply(list, items.map(function (item) {
        var li = document.createElement("li");
        li.className = "outbox-item outbox-item--" + item.state;
        li.dataset.itemId = item.id;
        li.dataset.state = item.state;
        var title = document.createElement("strong");
        title.textContent = (words.kinds[item.kind] || item.kind) + (item.label ? ": " + item.label : "");
        var state = document.createElement("span");
        state.className = "outbox-item__state";
        state.textContent = stateText(item);
        li.append(title, document.createElement("br"), state);
        return li;
      }));
    });
  }

  function renderStorage() {
    var used = document.querySelector("[data-storage-used]");
    if (!used) return;
    if (navigator.storage && navigator.storage.estimate) {
      navigator.storage.estimate().then(function (estimate) {
        used.textContent = fill(words.storageUsed, { used: size(estimate.usage || 0), quota: size(estimate.quota || 0) });
      });
    }
    var persisted = document.querySelector("[data-storage-persisted]");
    if (navigator.storage && navigator.storage.persisted) {
      navigator.storage.persisted().then(function (yes) { persisted.textContent = yes ? words.yes : words.no; });
    }
    var packStatus = document.querySelector("[data-pack-status]");
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.getRegistration("/").then(function (registration) {
        if (!registration || !registration.active) return;
        var pipe = new MessageChannel();
        pipe.port1.onmessage = function (event) {
          packStatus.textContent = fill(words.packSaved, { version: event.data });
          packStatus.dataset.version = event.data;
        };
        registration.active.postMessage({ type: "PACK_VERSION" }, [pipe.port2]);
      });
    }
  }

  function wireButtons() {
    document.querySelectorAll("[data-send-now]").forEach(function (button) {
      button.addEventListener("click", function () { sendNow("button").then(renderOutbox); });
    });
    document.querySelectorAll("[data-persist]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (navigator.storage && navigator.storage.persist) navigator.storage.persist().then(renderStorage);
      });
    });
    document.querySelectorAll("[data-save-pack]").forEach(function (button) {
      button.addEventListener("click", function () {
        installPack("/sw.js?locales=" + offlineLocales().join(",")).then(renderStorage);
      });
    });
  }

  window.riskeduApp = { record: record, sendNow: sendNow, ready: null };
  // Accepting an update reloads the page once the new pack has taken over.
  document.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest("[data-banner] .button--primary")) {
      window.riskeduUpdateAccepted = true;
    }
  });
  wireButtons();
  renderOutbox();
  renderStorage();
  if (outbox) outbox.subscribe(renderOutbox);
  window.addEventListener("online", function () { sendNow("online"); });
  window.riskeduApp.ready = setUpOffline().catch(function () { return null; });
  drainJournal().then(function () { sendNow("open"); });
})();

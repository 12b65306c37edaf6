/* The outbox: everything a person creates is written here (IndexedDB, through idb) before anything else,
   and leaves the phone only after the server answered "stored" or "duplicate". Runs in pages and in the
   service worker (Background Sync), so it uses neither window nor document.

   States: saved (on this phone) -> sending -> received (with receipt) | attention (the server's message).
   An item found in "sending" after a crash or closed tab is simply sent again: the server deduplicates. */
(function (global) {
  "use strict";
  var DB_NAME = "riskedu";
  var DB_VERSION = 1;
  var SYNC_URL = "/api/v1/sync";
  var MAX_ITEMS = 100; // per request, from the sync protocol
  var MAX_BYTES = 900 * 1024; // under the protocol's 1 MiB, with room for the envelope
  var channel = "BroadcastChannel" in global ? new BroadcastChannel("riskedu-outbox") : null;
  var dbPromise = null;

  function database() {
    if (!dbPromise) {
      dbPromise = global.idb.openDB(DB_NAME, DB_VERSION, {
        upgrade: function (db) {
          var outbox = db.createObjectStore("outbox", { keyPath: "id" });
          outbox.createIndex("state", "state");
          db.createObjectStore("meta");
        },
      });
    }
    return dbPromise;
  }

  function now() {
    return new Date().toISOString();
  }

  var listeners = [];

  // Other tabs and the service worker hear it on the channel; this context (which the channel skips) directly.
  function changed() {
    if (channel) channel.postMessage({ type: "outbox-changed" });
    listeners.forEach(function (listener) { listener(); });
  }

  function subscribe(listener) {
    listeners.push(listener);
    if (channel) channel.addEventListener("message", listener);
  }

  async function clientId() {
    var db = await database();
    var id = await db.get("meta", "clientId");
    if (!id) {
      id = global.crypto.randomUUID();
      await db.put("meta", id, "clientId");
    }
    return id;
  }

  function make(kind, data, label) {
    return {
      id: global.crypto.randomUUID(),
      kind: kind,
      data: data,
      label: label || "",
      state: "saved",
      createdAt: now(),
      updatedAt: now(),
      attempts: 0,
    };
  }

  // Stores an item unless the phone already has it (it may be further along, e.g. already received).
  async function keep(item) {
    var db = await database();
    var tx = db.transaction("outbox", "readwrite");
    var existing = await tx.store.get(item.id);
    if (!existing) await tx.store.put(item);
    await tx.done;
    changed();
    return existing || item;
  }

  function add(kind, data, label) {
    return keep(make(kind, data, label));
  }

  async function all() {
    var items = await (await database()).getAll("outbox");
    return items.sort(function (a, b) { return a.createdAt < b.createdAt ? 1 : -1; });
  }

  async function waiting() {
    var items = await (await database()).getAll("outbox");
    return items
      .filter(function (item) { return item.state === "saved" || item.state === "sending"; })
      .sort(function (a, b) { return a.createdAt < b.createdAt ? -1 : 1; });
  }

  function wireItem(item) {
    return { kind: item.kind, id: item.id, data: item.data };
  }

  function takeBatch(items) {
    var batch = [];
    var bytes = 200;
    for (var i = 0; i < items.length && batch.length < MAX_ITEMS; i += 1) {
      var size = JSON.stringify(wireItem(items[i])).length * 3; // worst case for UTF-8
      if (batch.length && bytes + size > MAX_BYTES) break;
      batch.push(items[i]);
      bytes += size;
    }
    return batch;
  }

  // Every state change re-reads the item inside one readwrite transaction and applies only if it still
  // makes sense (a page and the service worker may both be sending): "received" is never undone.
  async function update(ids, change) {
    var db = await database();
    var tx = db.transaction("outbox", "readwrite");
    var changedItems = [];
    await Promise.all(ids.map(function (id) {
      return tx.store.get(id).then(function (current) {
        var next = current && change(current);
        if (!next) return null;
        next.updatedAt = now();
        changedItems.push(next);
        return tx.store.put(next);
      });
    }));
    await tx.done;
    return changedItems;
  }

  function ids(items) {
    return items.map(function (item) { return item.id; });
  }

  function markSending(items) {
    return update(ids(items), function (item) {
      if (item.state !== "saved" && item.state !== "sending") return null;
      item.state = "sending";
      return item;
    });
  }

  function backToSaved(items) {
    return update(ids(items), function (item) {
      if (item.state !== "sending") return null;
      item.state = "saved";
      item.attempts = (item.attempts || 0) + 1;
      return item;
    });
  }

  function describeErrors(result) {
    if (result.errors && result.errors.length) {
      return result.errors.map(function (e) { return e.message; }).join(" ");
    }
    return result.error || "";
  }

  async function applyResults(batch, results) {
    var byId = {};
    results.forEach(function (result) { byId[result.id] = result; });
    await update(ids(batch), function (item) {
      var result = byId[item.id];
      if (item.state === "received") return null;
      if (!result) {
        // The server did not answer for it: it stays on the phone and goes again next time.
        item.state = "saved";
      } else if (result.status === "stored" || result.status === "duplicate") {
        item.state = "received";
        item.receipt = result.receipt;
        item.result = result;
        item.error = "";
      } else {
        // conflict or invalid: keep it, never resend silently, show the server's words.
        item.state = "attention";
        item.status = result.status;
        item.error = describeErrors(result);
      }
      return item;
    });
  }

  async function sendOnce(locale, appVersion) {
    var items = await waiting();
    if (!items.length) return { ok: true, remaining: 0 };
    var batch = await markSending(takeBatch(items));
    if (!batch.length) return { ok: true, remaining: 0 };
    changed();
    var body = JSON.stringify({
      client: { id: await clientId(), app_version: appVersion, locale: locale },
      items: batch.map(wireItem),
    });
    var response;
    try {
      response = await fetch(SYNC_URL, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: body,
        credentials: "same-origin",
      });
    } catch (error) {
      await backToSaved(batch);
      changed();
      return { ok: false, offline: true, remaining: items.length };
    }
    if (response.status === 200) {
      var answer = await response.json();
      await applyResults(batch, answer.results || []);
      changed();
      return { ok: true, remaining: items.length - batch.length };
    }
    await backToSaved(batch);
    changed();
    var retryAfter = Number(response.headers.get("Retry-After")) || 0;
    return { ok: false, status: response.status, retryAfter: retryAfter * 1000, remaining: items.length };
  }

  var sending = null;

  // One sender at a time across tabs and the service worker (Web Locks), and within this context.
  function send(reason, locale, appVersion) {
    if (sending) return sending;
    var run = async function () {
      var outcome = { ok: true, remaining: 0 };
      for (var round = 0; round < 50; round += 1) {
        outcome = await sendOnce(locale || "", appVersion || "web");
        if (!outcome.ok || outcome.remaining <= 0) break;
      }
      return outcome;
    };
    var locks = global.navigator && global.navigator.locks;
    sending = (locks ? locks.request("riskedu-outbox", run) : run()).finally(function () { sending = null; });
    return sending;
  }

  global.riskeduOutbox = { make: make, keep: keep, add: add, all: all, waiting: waiting, send: send, clientId: clientId, subscribe: subscribe };
})(self);

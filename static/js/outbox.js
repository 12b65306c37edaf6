/* The outbox: everything a person creates is written here (IndexedDB, through idb) before anything else,
   and leaves the phone only after the server answered "stored" or "duplicate". Runs in pages and in the
   service worker (Background Sync), so it uses neither window nor document.

   States: saved (on this phone) -> sending -> received (with receipt) | attention (the server's message).
   An item found in "sending" after a crash or closed tab is simply sent again: the server deduplicates.

   Photos of a report wait in their own store (as Blobs, linked by reportId) and go only after their report
   was received: PUT /api/v1/reports/{report}/photos/{photo}. States: waiting -> sending -> sent (the blob is
   dropped) | attention (409/413/415: the server's message). A network error, 5xx, 429 or 404 (the report is
   not there yet) leaves the photo waiting, to be retried with the outbox's backoff. */
(function (global) {
  "use strict";
  var DB_NAME = "riskedu";
  var DB_VERSION = 2;
  var SYNC_URL = "/api/v1/sync";
  var MAX_ITEMS = 100; // per request, from the sync protocol
  var MAX_BYTES = 900 * 1024; // under the protocol's 1 MiB, with room for the envelope
  var channel = "BroadcastChannel" in global ? new BroadcastChannel("riskedu-outbox") : null;
  var dbPromise = null;

  function database() {
    if (!dbPromise) {
      dbPromise = global.idb.openDB(DB_NAME, DB_VERSION, {
        upgrade: function (db, oldVersion) {
          if (oldVersion < 1) {
            var outbox = db.createObjectStore("outbox", { keyPath: "id" });
            outbox.createIndex("state", "state");
            db.createObjectStore("meta");
          }
          if (oldVersion < 2) {
            var photos = db.createObjectStore("photos", { keyPath: "id" });
            photos.createIndex("reportId", "reportId");
          }
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

  /* ---- photos ---- */

  function photoUrl(photo) {
    return "/api/v1/reports/" + encodeURIComponent(photo.reportId) + "/photos/" + encodeURIComponent(photo.id);
  }

  async function addPhoto(reportId, blob, details) {
    var photo = {
      id: global.crypto.randomUUID(),
      reportId: reportId,
      blob: blob,
      type: blob.type || "image/jpeg",
      bytes: blob.size,
      width: (details && details.width) || null,
      height: (details && details.height) || null,
      state: "waiting",
      createdAt: now(),
      updatedAt: now(),
      attempts: 0,
    };
    await (await database()).put("photos", photo);
    changed();
    return photo;
  }

  // For a report queued under another id than the one its photo was saved with.
  async function linkPhoto(photoId, reportId) {
    await updatePhoto(photoId, function (photo) { photo.reportId = reportId; return photo; });
    changed();
  }

  async function photosOf(reportId) {
    return (await database()).getAllFromIndex("photos", "reportId", reportId);
  }

  async function allPhotos() {
    return (await database()).getAll("photos");
  }

  async function updatePhoto(id, change) {
    var db = await database();
    var tx = db.transaction("photos", "readwrite");
    var current = await tx.store.get(id);
    var next = current && change(current);
    if (next) {
      next.updatedAt = now();
      await tx.store.put(next);
    }
    await tx.done;
    return next;
  }

  function photoWaits(photo) {
    return photo.state === "waiting" || photo.state === "sending";
  }

  async function errorText(response) {
    try { return (await response.json()).error || String(response.status); } catch (error) { return String(response.status); }
  }

  async function sendPhoto(photo) {
    var claimed = await updatePhoto(photo.id, function (current) {
      if (!photoWaits(current)) return null;
      current.state = "sending";
      return current;
    });
    if (!claimed) return { ok: true };
    changed();
    var response;
    var headers = { "Content-Type": claimed.type };
    // Only the phone that made the report may add photos to it: its secret goes along (docs/sync.md).
    var report = await (await database()).get("outbox", claimed.reportId);
    if (report && report.data && report.data.author_secret) headers["Riskedu-Author-Secret"] = report.data.author_secret;
    try {
      response = await fetch(photoUrl(claimed), {
        method: "PUT",
        headers: headers,
        body: claimed.blob,
        credentials: "same-origin",
      });
    } catch (error) {
      response = null;
    }
    var status = response ? response.status : 0;
    var message = status >= 400 && status < 500 && status !== 404 && status !== 429 ? await errorText(response) : "";
    await updatePhoto(photo.id, function (current) {
      if (current.state === "sent") return null;
      if (status === 200 || status === 201) {
        current.state = "sent";
        current.blob = null; // on the server now: the phone's space is given back
        current.error = "";
      } else if (message) {
        // 409 (other bytes under this id), 413 (too large), 415 (not an image), 400: sending again won't help.
        current.state = "attention";
        current.error = message;
      } else {
        current.state = "waiting";
        current.attempts = (current.attempts || 0) + 1;
      }
      return current;
    });
    changed();
    if (status === 200 || status === 201 || message) return { ok: true };
    var retryAfter = response ? (Number(response.headers.get("Retry-After")) || 0) * 1000 : 0;
    return { ok: false, offline: !response, retryAfter: retryAfter };
  }

  // Photos whose report the server has: each goes on its own; one that cannot go now stops the round
  // (the connection or the server is in trouble), except a 404, which waits for its report alone.
  async function sendPhotos() {
    var db = await database();
    var waitingPhotos = (await db.getAll("photos")).filter(photoWaits);
    var outcome = { ok: true, remaining: 0 };
    for (var i = 0; i < waitingPhotos.length; i += 1) {
      var report = await db.get("outbox", waitingPhotos[i].reportId);
      if (!report || report.state !== "received") continue; // goes once its report is received
      var sent = await sendPhoto(waitingPhotos[i]);
      if (!sent.ok) {
        outcome = { ok: false, offline: sent.offline, retryAfter: sent.retryAfter, remaining: waitingPhotos.length - i };
        if (sent.offline) break;
      }
    }
    return outcome;
  }

  // A note on an item that is not its state, e.g. a report's status from the server or an SMS offer taken.
  async function note(id, fields) {
    var changedItems = await update([id], function (item) {
      Object.keys(fields).forEach(function (key) {
        if (key !== "state" && key !== "receipt" && key !== "id" && key !== "data") item[key] = fields[key];
      });
      return item;
    });
    if (changedItems.length) changed();
    return changedItems[0] || null;
  }

  var sending = null;
  var followUp = null;

  // One sender at a time across tabs and the service worker (Web Locks), and within this context. A send
  // asked for while one runs (a photo saved just after its report) runs once more after it.
  function send(reason, locale, appVersion) {
    if (sending) {
      if (!followUp) {
        followUp = sending.then(function () {
          followUp = null;
          return send(reason, locale, appVersion);
        });
      }
      return followUp;
    }
    var run = async function () {
      var outcome = { ok: true, remaining: 0 };
      for (var round = 0; round < 50; round += 1) {
        outcome = await sendOnce(locale || "", appVersion || "web");
        if (!outcome.ok || outcome.remaining <= 0) break;
      }
      if (outcome.ok) {
        var photos = await sendPhotos();
        if (!photos.ok) {
          outcome = { ok: false, offline: photos.offline, retryAfter: photos.retryAfter, remaining: outcome.remaining + photos.remaining };
        }
      }
      return outcome;
    };
    var locks = global.navigator && global.navigator.locks;
    sending = (locks ? locks.request("riskedu-outbox", run) : run()).finally(function () { sending = null; });
    return sending;
  }

  global.riskeduOutbox = {
    make: make, keep: keep, add: add, all: all, waiting: waiting, send: send, clientId: clientId, subscribe: subscribe,
    addPhoto: addPhoto, linkPhoto: linkPhoto, photosOf: photosOf, allPhotos: allPhotos, note: note,
  };
})(self);

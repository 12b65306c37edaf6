/* "My reports": every report made on this phone, from the outbox (so it works offline), with the truth about
   each: saved on the phone, sending, received with its receipt, then its status from the server. A report
   that waits too long without a connection can go as a text message instead (the SMS fallback). */
(function () {
  "use strict";
  var list = document.querySelector("[data-report-cards]");
  var wordsElement = document.getElementById("report-words");
  var outbox = window.riskeduOutbox;
  if (!list || !wordsElement || !outbox) return;
  var words = JSON.parse(wordsElement.textContent);
  var config = JSON.parse(document.getElementById("report-config").textContent);
  var appWords = JSON.parse(document.getElementById("app-words").textContent);
  var locale = document.documentElement.lang;
  var empty = document.querySelector("[data-reports-empty]");
  var WAITING = ["saved", "sending"];
  var STATUS_EVERY = 60 * 1000;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // the person's words are text, never markup
    return node;
  }

  function when(iso) {
    var date = new Date(iso);
    return isNaN(date.getTime()) ? "" : date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
  }

  /* ---- the SMS body: the RK1 format of riskedu/reports/sms.py (docs/reports.md) ---- */

  var MARKED = { yes: "y", no: "n", unknown: "u" };
  var SOURCES = { gps: "g", map: "m", none: "n" };
  var PLACE_MAX = 160;

  function compactTime(iso) {
    var match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
    if (!match) return null;
    var zone = match[6] === "Z" || match[6] === "+00:00" || match[6] === "-00:00" ? "Z" : match[6].replace(":", "");
    return match[1] + match[2] + match[3] + "T" + match[4] + match[5] + zone;
  }

  function unique(values) {
    return values.filter(function (value, index) { return values.indexOf(value) === index; }).sort();
  }

  // SHA-256 of ASCII text, synchronously (crypto.subtle is async and missing on plain http): FIPS 180-4.
  var K256 = [];
  (function () {
    var found = 0;
    for (var n = 2; found < 64; n += 1) {
      var prime = true;
      for (var d = 2; d * d <= n; d += 1) if (n % d === 0) { prime = false; break; }
      if (prime) { K256.push((Math.pow(n, 1 / 3) % 1) * 4294967296 | 0); found += 1; }
    }
  })();

  function sha256Hex(text) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var bytes = Array.from(text, function (c) { return c.charCodeAt(0) & 0xff; });
    var bitLength = bytes.length * 8;
    bytes.push(0x80);
    while (bytes.length % 64 !== 56) bytes.push(0);
    for (var shift = 56; shift >= 0; shift -= 8) bytes.push(shift >= 32 ? 0 : (bitLength >>> shift) & 0xff);
    function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
    for (var offset = 0; offset < bytes.length; offset += 64) {
      var w = [];
      for (var i = 0; i < 64; i += 1) {
        if (i < 16) {
          var j = offset + i * 4;
          w[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
        } else {
          var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
          var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
          w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
        }
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (var t = 0; t < 64; t += 1) {
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[t] + w[t]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h = [h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e, h[5] + f, h[6] + g, h[7] + k].map(function (x) { return x | 0; });
    }
    return h.map(function (x) { return ("00000000" + (x >>> 0).toString(16)).slice(-8); }).join("");
  }

  function smsBody(item) {
    var data = item.data;
    var time = compactTime(data.observed_at);
    if (!time) return null;
    var parts = ["RK1", item.id, time, "W=" + unique(data.what).join(",")];
    if (data.count) parts.push("N=" + data.count);
    if (data.location) {
      var accuracy = data.location.accuracy_m === undefined || data.location.accuracy_m === null ? "" : String(Math.round(data.location.accuracy_m));
      parts.push("P=" + [data.location.lat.toFixed(5), data.location.lon.toFixed(5), accuracy, SOURCES[data.location.source || "none"]].join(","));
    }
    parts.push("M=" + MARKED[data.marked || "unknown"]);
    if (typeof data.injured === "number") parts.push("I=" + data.injured);
    if (data.near && data.near.length) parts.push("A=" + unique(data.near).join(","));
    if (data.locale) parts.push("L=" + data.locale);
    // The proof of authorship: the first 16 hex characters of the secret's SHA-256, never the secret.
    if (data.author_secret) parts.push("K=" + sha256Hex(data.author_secret).slice(0, 16));
    // Counted in characters, not UTF-16 units, as the server counts them.
    var place = Array.from((data.place || "").split(/\s+/).filter(Boolean).join(" ")).slice(0, PLACE_MAX).join("").trim();
    if (place) parts.push("T=" + place);
    return parts.join(" ");
  }

  function smsLink(item) {
    var body = smsBody(item);
    return body ? "sms:" + config.smsNumber + "?body=" + encodeURIComponent(body) : null;
  }

  function offersSms(item) {
    if (!config.smsNumber || WAITING.indexOf(item.state) === -1) return false;
    var waitedMinutes = (Date.now() - new Date(item.createdAt).getTime()) / 60000;
    // "No connection": the browser says it is offline, or tries to send it have failed.
    return waitedMinutes >= config.smsAfterMinutes && (!navigator.onLine || (item.attempts || 0) > 0);
  }

  /* ---- cards ---- */

  function callButton() {
    if (!config.emergencyNumber) return null;
    var link = element("a", "button button--danger call-button");
    link.href = "tel:" + config.emergencyNumber;
    var number = element("span", "call-button__number", config.emergencyNumber);
    number.dir = "ltr";
    link.append(number);
    return link;
  }

  function stateLine(item) {
    var text = appWords.states[item.state] || item.state;
    if (item.state === "attention" && item.error) text += ": " + item.error;
    return element("p", "report-card__state report-card__state--" + item.state, text);
  }

  function photoLine(photo) {
    var text = {
      waiting: words.photoWaiting,
      sending: words.photoSending,
      sent: words.photoSent,
      attention: fill(words.photoAttention, { error: photo.error || "" }),
    }[photo.state] || words.photoWaiting;
    var line = element("p", "report-card__photo report-card__photo--" + photo.state, text);
    line.dataset.photoState = photo.state;
    return line;
  }

  function card(item, photos) {
    var data = item.data || {};
    var li = element("li", "report-card report-card--" + item.state);
    li.id = "report-" + item.id;
    li.tabIndex = -1;
    li.dataset.reportId = item.id;
    li.dataset.state = item.state;
    if (data.injured > 0) {
      li.classList.add("report-card--urgent");
      var urgent = element("p", "report-card__urgent", words.urgent);
      li.append(urgent);
      var call = callButton();
      if (call) {
        var calls = element("p", "call-now__buttons");
        calls.append(call);
        li.append(calls);
      }
    }
    var title = (data.what || []).map(function (kind) { return words.what[kind] || kind; }).join(", ");
    li.append(element("h2", "report-card__title", title));
    if (data.place) li.append(element("p", "report-card__place", data.place));
    li.append(element("p", "report-card__made", fill(words.madeAt, { time: when(item.createdAt) })));
    li.append(stateLine(item));
    if (item.state === "received" && item.receipt) {
      var receipt = element("p", "report-card__receipt");
      var parts = words.receiptSay.split("{code}");
      receipt.append(document.createTextNode(parts[0]));
      var code = element("strong", "receipt-code", item.receipt);
      code.dir = "ltr";
      code.dataset.receipt = item.receipt;
      receipt.append(code, document.createTextNode(parts.slice(1).join("{code}")));
      li.append(receipt);
    }
    if (item.reportStatus) {
      var statusText = fill(words.statusLine, { status: words.statuses[item.reportStatus] || item.reportStatus });
      var line = element("p", "report-card__status", statusText);
      line.dataset.status = item.reportStatus;
      li.append(line);
    }
    photos.forEach(function (photo) { li.append(photoLine(photo)); });
    if (offersSms(item)) {
      var link = smsLink(item);
      if (link) {
        var offer = element("div", "sms-offer");
        offer.append(element("p", "", words.smsOffer));
        var button = element("a", "button button--primary", words.smsButton);
        button.href = link;
        button.dataset.smsLink = "1";
        button.addEventListener("click", function () { outbox.note(item.id, { smsOpenedAt: new Date().toISOString() }); });
        var holder = element("p");
        holder.append(button);
        offer.append(holder);
        offer.append(element("p", "hint", item.smsOpenedAt ? words.smsOpened : words.smsNote));
        li.append(offer);
      }
    }
    if (item.state !== "received") li.append(element("p", "report-card__safety", words.stayAway));
    return li;
  }

  var highlighted = false;

  function render() {
    return Promise.all([outbox.all(), outbox.allPhotos()]).then(function (found) {
      var reports = found[0].filter(function (item) { return item.kind === "hazard_report"; });
      var photosByReport = {};
      found[1].forEach(function (photo) { (photosByReport[photo.reportId] = photosByReport[photo.reportId] || []).push(photo); });
      empty.hidden = reports.length > 0;
      list.replaceChildren.apply(list, reports.map(function (item) { return card(item, photosByReport[item.id] || []); }));
      if (!highlighted && location.hash.indexOf("#report-") === 0) {
        var target = document.getElementById(location.hash.slice(1));
        if (target) { highlighted = true; target.classList.add("report-card--new"); target.focus(); }
      }
    });
  }

  /* ---- statuses from the server ---- */

  function refreshStatuses(onlyUnknown) {
    if (!navigator.onLine) return Promise.resolve();
    return outbox.all().then(function (items) {
      var received = items.filter(function (item) {
        return item.kind === "hazard_report" && item.state === "received" && !(onlyUnknown && item.reportStatus);
      });
      return received.reduce(function (chain, item) {
        return chain.then(function () {
          return fetch("/api/v1/reports/" + encodeURIComponent(item.id) + "/status", { credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (body) {
              if (body && body.status && (body.status !== item.reportStatus || body.updated_at !== item.statusUpdatedAt)) {
                return outbox.note(item.id, { reportStatus: body.status, statusUpdatedAt: body.updated_at });
              }
              return null;
            })
            .catch(function () { return null; }); // offline after all: the last known status stays
        });
      }, Promise.resolve());
    });
  }

  // A report just received gets its first status at once; the others on the timer.
  outbox.subscribe(function () { render().then(function () { return refreshStatuses(true); }); });
  window.addEventListener("online", function () { refreshStatuses(); render(); });
  window.addEventListener("offline", render);
  render().then(refreshStatuses);
  setInterval(function () { refreshStatuses(); render(); }, STATUS_EVERY);
  window.riskeduReports = { smsBody: smsBody, refreshStatuses: refreshStatuses, render: render };
})();

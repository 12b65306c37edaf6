/* The report form, on the phone: position from the phone (or a pin on the deployment's own map), a photo
   shrunk here before it is kept, and the report saved in the outbox (it works with no connection at all),
   then "My reports" shows what happens to it. Without this script the same form posts to the server. */
(function () {
  "use strict";
  var form = document.querySelector("[data-report-form]");
  var wordsElement = document.getElementById("report-words");
  if (!form || !wordsElement) return;
  var words = JSON.parse(wordsElement.textContent);
  var config = JSON.parse(document.getElementById("report-config").textContent);
  var locale = document.documentElement.lang;
  var photo = null; // { blob, width, height } once shrunk
  var previewUrl = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function field(selector) { return form.querySelector(selector); }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  // ISO 8601 in the phone's own time, with its offset, to the minute (as the SMS fallback carries it).
  function localIso(date) {
    var offset = -date.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    var abs = Math.abs(offset);
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate()) + "T" +
      two(date.getHours()) + ":" + two(date.getMinutes()) + ":00" + sign + two(Math.floor(abs / 60)) + ":" + two(abs % 60);
  }

  function localInputValue(date) {
    return localIso(date).slice(0, 16);
  }

  /* ---- messages ---- */

  function clearErrors() {
    form.querySelectorAll(".field-error[data-client]").forEach(function (node) { node.remove(); });
    form.querySelectorAll("[aria-invalid][data-client-invalid]").forEach(function (node) {
      node.removeAttribute("aria-invalid");
      node.removeAttribute("data-client-invalid");
    });
  }

  function showError(anchor, message) {
    var note = document.createElement("p");
    note.className = "field-error";
    note.dataset.client = "1";
    note.textContent = message;
    anchor.insertAdjacentElement("afterend", note);
    var target = anchor.closest("fieldset") || anchor;
    target.setAttribute("aria-invalid", "true");
    target.dataset.clientInvalid = "1";
  }

  function showProblems(count) {
    var box = field("[data-form-problems]");
    if (!count) { box.hidden = true; return; }
    box.replaceChildren();
    var text = document.createElement("p");
    text.textContent = words.fixErrors;
    box.appendChild(text);
    box.hidden = false;
    box.focus();
  }

  /* ---- someone hurt: the call button comes first ---- */

  var urgent = field("[data-urgent]");
  var injuredBox = field("[data-injured-count]");
  var hurtStep = field('[data-step="hurt"]');
  if (urgent && hurtStep) hurtStep.insertAdjacentElement("afterend", urgent);

  function showHurt() {
    var yes = field("[data-hurt-yes]").checked;
    urgent.hidden = !yes;
    injuredBox.hidden = !yes;
  }
  form.querySelectorAll('input[name="hurt"]').forEach(function (input) { input.addEventListener("change", showHurt); });
  showHurt();

  /* ---- when ---- */

  var observed = field("[data-observed-at]");
  observed.max = localInputValue(new Date());
  observed.addEventListener("input", function () { field("[data-when-earlier]").checked = true; });
  field("[data-tz-offset]").value = String(-new Date().getTimezoneOffset());

  /* ---- where: the phone's position, or a pin ---- */

  var locate = field("[data-locate]");
  var locateStatus = field("[data-locate-status]");
  var clearButton = field("[data-locate-clear]");
  var inputs = { lat: field("[data-lat]"), lon: field("[data-lon]"), accuracy: field("[data-accuracy]"), source: field("[data-source]") };

  function setPosition(lat, lon, accuracy, source, message) {
    inputs.lat.value = lat === null ? "" : lat.toFixed(6);
    inputs.lon.value = lon === null ? "" : lon.toFixed(6);
    inputs.accuracy.value = accuracy === null ? "" : String(Math.round(accuracy));
    inputs.source.value = source || "";
    clearButton.hidden = lat === null;
    locateStatus.textContent = message;
  }

  if (locate && "geolocation" in navigator) {
    locate.hidden = false;
    if (inputs.lat.value) clearButton.hidden = false;
    field("[data-locate-button]").addEventListener("click", function () {
      locateStatus.textContent = words.positionFinding;
      navigator.geolocation.getCurrentPosition(function (position) {
        var accuracy = position.coords.accuracy;
        var template = accuracy > 500 ? words.positionFoundRough : words.positionFound;
        setPosition(position.coords.latitude, position.coords.longitude, accuracy, "gps",
          fill(template, { metres: Math.round(accuracy) }));
        if (window.riskeduPinMap) window.riskeduPinMap.centre(position.coords.latitude, position.coords.longitude);
      }, function (error) {
        locateStatus.textContent = error.code === 1 ? words.positionDenied : words.positionFailed;
      }, { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 });
    });
    clearButton.addEventListener("click", function () { setPosition(null, null, null, "", words.positionCleared); });
  }

  // The deployment's own tiles only, and only with a connection: offline, position and words do the job.
  function setUpPinMap() {
    var box = field("[data-pin-map]");
    if (!box || !config.tiles || !window.L || !navigator.onLine) return;
    box.hidden = false;
    var start = config.mapStart && config.mapStart.length === 3 ? config.mapStart : [0, 0, 2];
    var map = window.L.map(field("[data-pin-map-canvas]"), { zoomControl: true }).setView([start[0], start[1]], start[2]);
    window.L.tileLayer(config.tiles, { maxZoom: 18, attribution: config.tileAttribution }).addTo(map);
    var marker = null;
    map.on("click", function (event) {
      if (marker) marker.setLatLng(event.latlng); else marker = window.L.marker(event.latlng).addTo(map);
      setPosition(event.latlng.lat, event.latlng.lng, null, "map", words.pinDropped);
    });
    window.riskeduPinMap = { centre: function (lat, lon) { map.setView([lat, lon], 16); } };
  }
  setUpPinMap();

  /* ---- photo: shrunk here, kept on the phone ---- */

  var photoInput = field("[data-photo]");
  var photoStatus = field("[data-photo-status]");
  var preview = field("[data-photo-preview]");

  function canvasBlob(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
  }

  async function shrink(file) {
    var bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    var scale = Math.min(1, config.maxLongSide / Math.max(bitmap.width, bitmap.height));
    var width = Math.max(1, Math.round(bitmap.width * scale));
    var height = Math.max(1, Math.round(bitmap.height * scale));
    var quality = 0.82;
    var blob = null;
    var canvas = document.createElement("canvas");
    for (var attempt = 0; attempt < 10; attempt += 1) {
      canvas.width = width;
      canvas.height = height;
      canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
      // A canvas writes pixels only: the camera's metadata (its GPS position too) stays behind.
      blob = await canvasBlob(canvas, quality);
      if (!blob) throw new Error("no blob");
      if (blob.size <= config.targetBytes) break;
      if (quality > 0.5) quality -= 0.1;
      else { width = Math.round(width * 0.8); height = Math.round(height * 0.8); }
    }
    if (bitmap.close) bitmap.close();
    return { blob: blob, width: width, height: height };
  }

  function size(bytes) {
    return bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  photoInput.addEventListener("change", function () {
    photo = null;
    preview.hidden = true;
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    var file = photoInput.files && photoInput.files[0];
    if (!file) { photoStatus.textContent = ""; return; }
    photoStatus.textContent = words.photoPreparing;
    shrink(file).then(function (shrunk) {
      photo = shrunk;
      previewUrl = URL.createObjectURL(shrunk.blob);
      preview.src = previewUrl;
      preview.hidden = false;
      photoStatus.textContent = fill(words.photoReady, { size: size(shrunk.blob.size) });
    }).catch(function () {
      photoInput.value = "";
      photoStatus.textContent = words.photoFailed;
    });
  });

  /* ---- sending: into the outbox ---- */

  function checked(name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (input) { return input.value; });
  }

  function value(name) {
    var input = form.elements.namedItem(name);
    return input && typeof input.value === "string" ? input.value : "";
  }

  function whole(text) {
    return /^\s*\d+\s*$/.test(text) ? parseInt(text, 10) : null;
  }

  function observedAt() {
    if (checked("when")[0] !== "earlier") return { iso: localIso(new Date()) };
    if (!observed.value) return { error: words.whenMissing };
    var when = new Date(observed.value);
    if (isNaN(when.getTime())) return { error: words.whenMissing };
    if (when.getTime() - Date.now() > 5 * 60 * 1000) return { error: words.whenFuture };
    return { iso: localIso(when) };
  }

  function reportData() {
    var data = { what: checked("what"), near: checked("near"), locale: locale };
    var problems = 0;
    clearErrors();
    if (!data.what.length) { showError(form.querySelector('[data-step="what"] legend'), words.chooseWhat); problems += 1; }
    var when = observedAt();
    if (when.error) { showError(observed, when.error); problems += 1; } else data.observed_at = when.iso;
    if (value("place").trim()) data.place = value("place");
    if (inputs.lat.value && inputs.lon.value) {
      data.location = { lat: Number(inputs.lat.value), lon: Number(inputs.lon.value), source: inputs.source.value || "none" };
      if (inputs.accuracy.value) data.location.accuracy_m = Number(inputs.accuracy.value);
    }
    if (!data.place && !data.location) { showError(field("#place"), words.placeOrPosition); problems += 1; }
    var count = whole(value("count"));
    if (count) data.count = count;
    var marked = checked("marked")[0];
    if (marked) data.marked = marked;
    var hurt = checked("hurt")[0];
    if (hurt === "no") data.injured = 0;
    if (hurt === "yes") data.injured = whole(value("injured")) || 1;
    if (value("description").trim()) data.description = value("description");
    var reporter = {};
    if (value("reporter_name").trim()) reporter.name = value("reporter_name").trim();
    if (value("reporter_phone").trim()) reporter.phone = value("reporter_phone").trim();
    if (reporter.name || reporter.phone) data.reporter = reporter;
    return problems ? null : data;
  }

  function label(data) {
    var what = data.what.map(function (kind) { return words.what[kind] || kind; }).join(", ");
    var when = new Date().toLocaleString(locale, { dateStyle: "short", timeStyle: "short" });
    return fill(words.reportLabel, { what: what, when: when });
  }

  function newSecret() {
    var bytes = window.crypto.getRandomValues(new Uint8Array(18)); // 144 bits
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  var app = window.riskeduApp;
  var outbox = window.riskeduOutbox;
  var status = field("[data-form-status]");

  form.addEventListener("submit", function (event) {
    // No outbox on this browser: the form posts to the server as it would without this script.
    if (!app || !outbox || !window.indexedDB || !window.crypto || !window.crypto.randomUUID) return;
    event.preventDefault();
    var data = reportData();
    showProblems(data ? 0 : 1);
    if (!data) return;
    var submit = field("[data-report-submit]");
    submit.disabled = true;
    status.textContent = words.saving;
    var id = window.crypto.randomUUID();
    // Proof of authorship (docs/sync.md): a secret only this phone knows, kept with the report and sent with
    // it; an SMS carries only a short hash of it. Never shown.
    data.author_secret = newSecret();
    // The photo is kept first, under the report's id, so the report never goes without it.
    var keptPhoto = photo ? outbox.addPhoto(id, photo.blob, { width: photo.width, height: photo.height }) : Promise.resolve(null);
    keptPhoto.then(function (kept) {
      return app.record("hazard_report", data, label(data), id).then(function (item) {
        if (!item) throw new Error("not saved");
        // An older page script makes its own id: the photo follows the report.
        var linked = kept && item.id !== id ? outbox.linkPhoto(kept.id, item.id) : Promise.resolve();
        return linked.then(function () { return item; });
      });
    }).then(function (item) {
      window.location.assign(config.mineUrl + "#report-" + item.id);
    }).catch(function () {
      submit.disabled = false;
      status.textContent = words.saveFailed;
    });
  });
})();

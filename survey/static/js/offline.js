/* beboer: working without a connection.
   - registers the service worker (sw.js), which keeps the form's files and page copies;
   - shows the offline banner while the device is offline;
   - starts a response on the device when consent is given offline (a UUID made here);
   - queues a finished response and sends it to POST /api/v1/responses when the
     connection is back (same UUID, so a resend is harmless). */
(function () {
  "use strict";

  var store = window.BeboerStore;
  var API = "/api/v1/responses";
  var sending = false;

  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }

  function banner() {
    var online = navigator.onLine !== false;
    all("[data-offline-banner]").forEach(function (element) { element.hidden = online; });
  }

  /* The finished response as the API wants it; answers to hidden questions dropped. */
  function finish(responseId, conditions) {
    var record = store.get(responseId);
    if (!record) { return null; }
    var visible = window.BeboerForm.visibleIds(conditions, record.answers);
    var answers = {};
    Object.keys(record.answers).forEach(function (id) {
      if (visible[id] && window.BeboerForm.isAnswered(record.answers[id])) { answers[id] = record.answers[id]; }
    });
    var meta = record.meta;
    record.payload = {
      id: record.id, questionnaire: meta.questionnaire, version: meta.version,
      language: meta.language, area: meta.area, mode: meta.mode,
      consent_version: meta.consent_version, consent_given_at: meta.consent_given_at,
      started_at: meta.started_at, submitted_at: new Date().toISOString(), answers: answers
    };
    record.queued = true;
    record.status = "waiting";
    return store.put(record);
  }

  /* Send every queued response; keep what could not be sent for the next try. */
  function flush() {
    if (sending || navigator.onLine === false) { return Promise.resolve(); }
    var queued = store.all().filter(function (record) { return record.queued && record.status === "waiting"; });
    if (!queued.length) { return Promise.resolve(); }
    sending = true;
    return queued.reduce(function (chain, record) {
      return chain.then(function () {
        return fetch(API, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(record.payload),
          credentials: "omit"
        }).then(function (response) {
          if (response.status === 201 || response.status === 200) {
            store.remove(record.id);
          } else if (response.status === 409 || response.status === 422) {
            record.status = response.status === 409 ? "conflict" : "invalid";
            store.put(record);
            console.error("beboer: response " + record.id + " was refused (" + response.status + ")");
          }
        });
      });
    }, Promise.resolve()).catch(function (error) {
      console.warn("beboer: sending later", error);
    }).then(function () { sending = false; });
  }

  /* A response begun on a stored copy of page 1 (consent given while offline). */
  function startFromUrl(form, params) {
    var id = params.get("rid");
    if (!id || params.get("start") !== "1") { return null; }
    var now = new Date().toISOString();
    var data = form.dataset;
    return store.put({
      id: id,
      meta: {
        questionnaire: data.questionnaire, version: data.version, language: data.language,
        area: params.get("area") || "", mode: data.mode, consent_version: data.consentVersion,
        started_at: now, consent_given_at: now
      },
      answers: {},
      queued: false
    });
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* Consent given while offline: the response starts on the device. */
  function setUpConsent() {
    all("[data-consent-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (navigator.onLine !== false || (event.submitter && event.submitter.name === "decline")) { return; }
        event.preventDefault();
        var consent = form.querySelector("input[name='consent']");
        var area = form.querySelector("[name='area']");
        if (!consent.checked || !area.value) {
          (consent.checked ? area : consent).focus();
          return;
        }
        var url = new URL(form.getAttribute("data-offline-page"), window.location.href);
        url.searchParams.set("rid", newId());
        url.searchParams.set("start", "1");
        url.searchParams.set("area", area.value);
        window.location.href = url.pathname + url.search;
      });
    });
  }

  /* Keep the page copies of this questionnaire and language on the device. */
  function precache() {
    var source = document.querySelector("[data-offline-manifest]");
    if (!source || !("caches" in window) || navigator.onLine === false) { return; }
    var manifest = source.getAttribute("data-offline-manifest");
    var flag = "beboer:cached:" + manifest;
    if (window.sessionStorage.getItem(flag)) { return; }  /* once per visit, not on every page */
    /* Without cookies: a background response must never replace the session cookie that
       the resident's own next request (a form POST) is setting at the same moment. */
    var options = { credentials: "omit" };
    fetch(manifest, options)
      .then(function (response) { return response.json(); })
      .then(function (data) {
        return window.caches.open(data.cache).then(function (cache) {
          return Promise.all(data.urls.map(function (url) {
            return fetch(url, options).then(function (response) {
              if (!response.ok) { throw new Error(url + ": " + response.status); }
              return cache.put(url, response);
            });
          }));
        });
      })
      .then(function () { window.sessionStorage.setItem(flag, "1"); })
      .catch(function (error) { console.warn("beboer: could not keep the form for offline use", error); });
  }

  function register() {
    var url = document.body.getAttribute("data-sw-url");
    if (!url || !("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function (error) {
      console.warn("beboer: no service worker", error);
    });
  }

  function finishFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var thanks = document.querySelector("[data-thanks][data-conditions]");
    if (thanks && params.get("finish") === "1" && params.get("rid")) {
      var record = store.get(params.get("rid"));
      if (record && !record.queued) {
        finish(record.id, JSON.parse(thanks.getAttribute("data-conditions")));
      }
    }
  }

  function start() {
    register();
    banner();
    setUpConsent();
    precache();
    flush();
    window.addEventListener("online", function () { banner(); flush(); });
    window.addEventListener("offline", banner);
  }

  window.BeboerOffline = { finish: finish, flush: flush, startFromUrl: startFromUrl, finishFromUrl: finishFromUrl };
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();

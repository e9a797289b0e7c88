/* beboer: working without a connection.
   - registers the service worker (sw.js), which keeps the form's files and page copies;
   - shows the offline banner while the device is offline;
   - the outbox: a finished (or left) response waits in IndexedDB and is sent to
     POST /api/v1/responses when the connection is back (same UUID, so a resend is
     harmless); a response left unfinished goes to POST /api/v1/drafts, stored incomplete; after a 5xx or a network error it waits longer before each new try and
     says that sending failed; the page shows how many responses are waiting;
   - forgets every working copy of answers on the pages that end a response. */
(function () {
  "use strict";

  var store = window.BeboerStore;
  var API = "/api/v1/responses";
  var DRAFTS = "/api/v1/drafts";
  var FIRST_WAIT = 5;      /* seconds before the second try after a failure */
  var LONGEST_WAIT = 600;  /* never more than ten minutes between tries */
  var sending = false;
  var timer = null;
  var ticking = null;

  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function online() { return navigator.onLine !== false; }
  function localDigits(number) {
    var digits = document.body.getAttribute("data-digits") || "0123456789";
    return String(number).replace(/[0-9]/g, function (d) { return digits.charAt(+d); });
  }

  /* Offline, or on a stored copy of a page (the server could not be reached). */
  function banner() {
    var copy = document.querySelector("[data-page-form][data-offline]") !== null;
    all("[data-offline-banner]").forEach(function (element) { element.hidden = online() && !copy; });
  }

  /* How long to wait after ``attempts`` failed tries: 5 s, 10 s, 20 s … up to 10 min. */
  function backoff(attempts) {
    return Math.min(LONGEST_WAIT, FIRST_WAIT * Math.pow(2, Math.max(0, attempts - 1)));
  }

  /* "N responses are waiting to be sent", and whether the last try failed. */
  function showOutbox() {
    var boxes = all("[data-outbox]");
    if (!boxes.length) { return Promise.resolve(); }
    return store.all().then(function (records) {
      var waiting = records.filter(function (record) { return record.queued; });
      var failed = waiting.filter(function (record) { return record.status === "failed"; });
      var refused = waiting.filter(function (record) { return record.status === "conflict" || record.status === "invalid" || record.status === "unauthorised"; });
      boxes.forEach(function (box) {
        var count = box.querySelector("[data-outbox-count]");
        var problem = box.querySelector("[data-outbox-failed]");
        var stuck = box.querySelector("[data-outbox-refused]");
        box.hidden = waiting.length === 0;
        box.setAttribute("data-waiting", String(waiting.length));
        count.textContent = (waiting.length === 1 ? box.getAttribute("data-one") : box.getAttribute("data-many"))
          .replace("{n}", localDigits(waiting.length));
        problem.hidden = failed.length === 0;
        if (failed.length) {
          var next = Math.min.apply(null, failed.map(function (record) { return record.next_try || Date.now(); }));
          var seconds = Math.max(1, Math.round((next - Date.now()) / 1000));
          problem.textContent = box.getAttribute("data-failed").replace("{s}", localDigits(seconds));
        }
        stuck.hidden = refused.length === 0;
      });
      /* Count down the seconds until the next try. */
      if (failed.length && !ticking) {
        ticking = window.setTimeout(function () { ticking = null; showOutbox(); }, 1000);
      }
    }).catch(function (error) { console.warn("beboer: cannot count the waiting responses", error); });
  }

  /* The response as the API wants it; answers to hidden questions dropped. When the server
     holds a draft of it, the device has only the answers the server has not acknowledged:
     the server merges them into the draft and drops what the merged answers hide. */
  function payloadOf(record, conditions) {
    var visible = conditions && !record.serverDraft
      ? window.BeboerForm.visibleIds(conditions, record.answers) : null;
    var answers = {};
    Object.keys(record.answers || {}).forEach(function (id) {
      if ((!visible || visible[id]) && window.BeboerForm.isAnswered(record.answers[id])) { answers[id] = record.answers[id]; }
    });
    var meta = record.meta;
    return {
      id: record.id, questionnaire: meta.questionnaire, version: meta.version,
      language: meta.language, area: meta.area, mode: meta.mode,
      consent_version: meta.consent_version, consent_given_at: meta.consent_given_at,
      started_at: meta.started_at, submitted_at: new Date().toISOString(), answers: answers
    };
  }

  /* Put a response in the outbox: finished, or left unfinished (``unfinished``: it is sent as
     a draft, an incomplete response, never as a submitted one). */
  function enqueue(record, conditions, unfinished) {
    record.payload = payloadOf(record, conditions || record.conditions);
    record.unfinished = Boolean(unfinished);
    record.queued = true;
    record.status = "waiting";
    record.attempts = 0;
    record.next_try = 0;
    return store.put(record);
  }

  function finish(responseId, conditions, unfinished) {
    return store.get(responseId).then(function (record) {
      return record && !record.queued ? enqueue(record, conditions, unfinished) : record;
    });
  }

  /* Working copies left behind by a closed tab: answered offline they go to the outbox as
     an unfinished response (the server never saw those answers; it keeps them as a draft);
     answered online the server keeps the draft, so the copy is simply dropped. */
  function collectLeft(records) {
    var here = store.tab();
    return Promise.all(records.filter(function (record) {
      return !record.queued && record.tab && record.tab !== here;
    }).map(function (record) {
      return record.offline ? enqueue(record, null, true) : store.remove(record.id);
    }));
  }

  function schedule(records) {
    if (timer) { window.clearTimeout(timer); timer = null; }
    var failed = records.filter(function (record) { return record.queued && record.status === "failed"; });
    if (!failed.length) { return; }
    var next = Math.min.apply(null, failed.map(function (record) { return record.next_try; }));
    timer = window.setTimeout(function () { flush(true); }, Math.max(500, next - Date.now()));
  }

  function sendOne(record) {
    return fetch(record.unfinished ? DRAFTS : API, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(record.payload),
      /* An interview is sent under the interviewer's own staff login; residents' responses
         go without cookies (no race with the resident's session cookie). */
      credentials: record.payload && record.payload.mode === "interviewer" ? "same-origin" : "omit"
    }).then(function (response) {
      if (response.status === 201 || response.status === 200) {
        return store.remove(record.id);
      }
      if (response.status === 409 || response.status === 422) {
        record.status = response.status === 409 ? "conflict" : "invalid";
        console.error("beboer: response " + record.id + " was refused (" + response.status + ")");
        return store.put(record);
      }
      if (response.status === 401 || response.status === 403) {
        /* The interviewer is logged out (or another interviewer is): shown as refused, and
           tried again on the next page the device opens, not on a timer. */
        record.status = "unauthorised";
        return store.put(record);
      }
      throw new Error("the server answered " + response.status);
    }).catch(function (error) {
      /* 5xx, 429 or no answer: try again later, waiting longer each time. */
      record.attempts = (record.attempts || 0) + 1;
      record.status = "failed";
      record.next_try = Date.now() + backoff(record.attempts) * 1000;
      console.warn("beboer: sending failed, trying again later", error);
      return store.put(record);
    });
  }

  /* Send every queued response that is due; keep what could not be sent for the next try. */
  function flush(timed) {
    if (sending || !online()) { return showOutbox(); }
    sending = true;
    return store.all().then(function (records) {
      return collectLeft(records).then(store.all);
    }).then(function (records) {
      var now = Date.now();
      var due = records.filter(function (record) {
        return record.queued && (record.status === "waiting" || (!timed && record.status === "unauthorised") ||
          (record.status === "failed" && record.next_try <= now));
      });
      return due.reduce(function (chain, record) {
        return chain.then(function () { return sendOne(record); });
      }, Promise.resolve());
    }).catch(function (error) {
      console.warn("beboer: sending later", error);
    }).then(function () {
      sending = false;
      return store.all().then(schedule).catch(function () { return null; });
    }).then(showOutbox);
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
        if (online() || (event.submitter && event.submitter.name === "decline")) { return; }
        event.preventDefault();
        var consent = form.querySelector("input[name='consent']");
        var area = form.querySelector("[name='area']");
        var assistance = form.querySelector("[name='assistance']:checked");
        if (!consent.checked || !area.value || (form.querySelector("[name='assistance']") && !assistance)) {
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

  /* Keep the page copies of this questionnaire, in every published language, on the device. */
  function precache() {
    var source = document.querySelector("[data-offline-manifest]");
    if (!source || !("caches" in window) || !online()) { return; }
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
            /* Static files set no cookie: fetched like the page's own, the HTTP cache has them. */
            var how = url.indexOf("/assets/") === 0 ? { credentials: "same-origin" } : options;
            return fetch(url, how).then(function (response) {
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

  /* The offline thank-you page: the response goes to the outbox, then everything else is forgotten. */
  function finishFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var thanks = document.querySelector("[data-thanks][data-conditions]");
    if (!thanks || params.get("finish") !== "1" || !params.get("rid")) { return Promise.resolve(); }
    var rid = params.get("rid");
    window.history.replaceState(null, "", window.location.pathname + "?" +
      new URLSearchParams({ lang: params.get("lang") || "", mode: params.get("mode") || "web" }).toString());
    showReceipt(rid);
    return finish(rid, JSON.parse(thanks.getAttribute("data-conditions")));
  }

  /* The receipt code, computed as survey/receipt.py does: Crockford base 32 of the first
     40 bits of SHA-256("beboer-receipt:" + id), as XXXX-XXXX. */
  function showReceipt(rid) {
    var box = document.querySelector("[data-receipt-box]");
    if (!box || !window.crypto || !window.crypto.subtle) { return; }
    var alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    var bytes = new TextEncoder().encode("beboer-receipt:" + rid.toLowerCase());
    window.crypto.subtle.digest("SHA-256", bytes).then(function (digest) {
      var view = new Uint8Array(digest);
      var bits = "";
      for (var i = 0; i < 5; i += 1) { bits += (view[i] + 256).toString(2).slice(1); }
      var code = "";
      for (var j = 0; j < 40; j += 5) { code += alphabet[parseInt(bits.slice(j, j + 5), 2)]; }
      box.querySelector("[data-receipt]").textContent = code.slice(0, 4) + "-" + code.slice(4);
      box.hidden = false;
    });
  }

  /* Pages that end a response (thank-you, withdrawal, abort, kiosk start, staff login) forget
     every working copy of answers; the outbox stays until it is sent. */
  function forgetIfAsked() {
    var asked = document.body.getAttribute("data-forget");
    if (!asked) { return Promise.resolve(); }
    return store.forget({ caches: asked === "all" });
  }

  function start() {
    register();
    banner();
    setUpConsent();
    precache();
    finishFromUrl().then(forgetIfAsked).catch(function (error) {
      console.warn("beboer: cannot clear the device", error);
    }).then(function () { return flush(false); });
    window.addEventListener("online", function () { banner(); flush(false); });
    window.addEventListener("offline", function () { banner(); showOutbox(); });
  }

  window.BeboerOffline = {
    finish: finish, flush: flush, newId: newId, showOutbox: showOutbox, backoff: backoff
  };
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();

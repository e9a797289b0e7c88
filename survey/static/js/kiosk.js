/* beboer: the kiosk in a common room.
   - the thank-you page counts down visibly, then returns to the language chooser;
   - after data-kiosk-idle seconds without a touch, "Are you still there?" in the resident's
     language with a countdown; without an answer the response is left incomplete (a draft
     on the server, or in the outbox to be sent as a draft when offline), the device forgets it and the kiosk returns to the chooser
     with its history replaced, so Back shows nothing. Started by form.js. */
(function () {
  "use strict";

  var store = window.BeboerStore;

  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  /* A number in the page language's digits (data-digits on <body>, e.g. Persian ۰۱۲…). */
  function localDigits(number) {
    var digits = document.body.getAttribute("data-digits") || "0123456789";
    return String(number).replace(/[0-9]/g, function (d) { return digits.charAt(+d); });
  }

  /* The thank-you page of a kiosk counts down visibly, then returns to the language chooser. */
  function setUpKioskReset() {
    var body = document.body;
    var seconds = parseInt(body.getAttribute("data-kiosk-reset"), 10);
    var url = body.getAttribute("data-reset-url");
    if (!url || isNaN(seconds)) { return; }
    var left = seconds;
    function reset() { window.location.replace(url); }
    function tick() {
      all("[data-reset-seconds]").forEach(function (element) { element.textContent = localDigits(left); });
      if (left <= 0) { reset(); return; }
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
    all("[data-reset-now]").forEach(function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); reset(); });
    });
  }

  /* A kiosk left alone: after data-kiosk-idle seconds without a touch, "Are you still there?"
     with a countdown; without an answer the response is left (on the server, or in the outbox
     when offline), the device forgets it and the kiosk returns to the language chooser. */
  function setUpKioskIdle(forms) {
    var body = document.body;
    var idle = parseInt(body.getAttribute("data-kiosk-idle"), 10);
    var countdown = parseInt(body.getAttribute("data-kiosk-countdown"), 10);
    var home = body.getAttribute("data-kiosk-home");
    var prompt = document.querySelector("[data-idle-prompt]");
    if (!home || !prompt || isNaN(idle) || isNaN(countdown)) { return; }
    var waiting = null;
    var counting = null;
    var left = countdown;
    var leaving = false;

    function leave() {
      leaving = true;
      var offline = forms.filter(function (form) { return form.offline; });
      var parked = offline.length && window.BeboerOffline
        ? offline[0].keep(true).then(function (record) {
          return record ? window.BeboerOffline.finish(record.id, offline[0].conditions, true) : null;
        })
        : Promise.resolve();
      parked.then(function () { return store ? store.forget() : null; })
        .catch(function (error) { console.warn("beboer: cannot clear the device", error); })
        .then(function () { window.location.replace(home); });
    }
    function tick() {
      all("[data-idle-seconds]", prompt).forEach(function (element) { element.textContent = localDigits(left); });
      if (left <= 0) { leave(); return; }
      left -= 1;
      counting = window.setTimeout(tick, 1000);
    }
    function ask() {
      prompt.hidden = false;
      left = countdown;
      tick();
      var button = prompt.querySelector("[data-idle-continue]");
      if (button) { button.focus(); }
    }
    function touched(event) {
      if (leaving) { return; }
      if (!prompt.hidden && event && event.type === "keydown" && event.target.closest("[data-idle-prompt]") === null) { return; }
      window.clearTimeout(waiting);
      window.clearTimeout(counting);
      prompt.hidden = true;
      waiting = window.setTimeout(ask, idle * 1000);
    }
    ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (name) {
      document.addEventListener(name, touched, { passive: true, capture: true });
    });
    prompt.querySelector("[data-idle-continue]").addEventListener("click", function () { touched(null); });
    touched(null);
  }

  window.BeboerKiosk = {
    start: function (forms) { setUpKioskReset(); setUpKioskIdle(forms); },
    localDigits: localDigits
  };
})();

/* beboer: the resident form in the browser.
   - focus on the page heading (or the error summary) after each page change;
   - conditional questions shown and hidden at once (show_if from data attributes,
     evaluated like questionnaires.conditions.evaluate; no eval);
   - "exclusive" choices ("Ved ikke") not combined with others;
   - answers copied to the device on every page (BeboerStore), so the offline path can
     send the complete response later;
   - a language switch submits the page so that nothing typed is lost;
   - read-aloud buttons; the kiosk reset after the thank-you page. */
(function () {
  "use strict";

  var store = window.BeboerStore;

  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function parseJSON(text, fallback) {
    if (!text) { return fallback; }
    try { return JSON.parse(text); } catch (error) { return fallback; }
  }

  /* -- conditions (mirror of questionnaires/conditions.py) ------------------------------ */
  function isAnswered(value) {
    if (value === null || value === undefined) { return false; }
    if (typeof value === "string") { return value.trim() !== ""; }
    if (Array.isArray(value)) { return value.length > 0; }
    return true;
  }

  function matches(value, codes) {
    if (typeof value === "string") { return codes.indexOf(value) !== -1; }
    if (Array.isArray(value)) {
      return value.some(function (item) { return typeof item === "string" && codes.indexOf(item) !== -1; });
    }
    return false;
  }

  function evaluate(condition, answers) {
    var keys = Object.keys(condition).sort().join(",");
    switch (keys) {
      case "all": return condition.all.every(function (part) { return evaluate(part, answers); });
      case "any": return condition.any.some(function (part) { return evaluate(part, answers); });
      case "not": return !evaluate(condition.not, answers);
      case "answered,question": return isAnswered(answers[condition.question]) === Boolean(condition.answered);
      case "in,question": return matches(answers[condition.question], condition.in);
      default: throw new Error("unknown condition: " + JSON.stringify(condition));
    }
  }

  /* The questions asked given the answers, as Questionnaire.visible_questions. */
  function visibleIds(conditions, answers) {
    var effective = {};
    var visible = {};
    conditions.forEach(function (question) {
      if (!question.show_if || evaluate(question.show_if, effective)) {
        visible[question.id] = true;
        if (isAnswered(answers[question.id])) { effective[question.id] = answers[question.id]; }
      }
    });
    return visible;
  }

  /* -- reading and filling the page ----------------------------------------------------- */
  function inputs(block) { return all("input, textarea, select", block); }

  function readAnswer(block) {
    var type = block.getAttribute("data-type");
    var fields = inputs(block);
    if (type === "single") {
      var chosen = fields.filter(function (f) { return f.checked; })[0];
      return chosen ? chosen.value : null;
    }
    if (type === "multiple") {
      var codes = fields.filter(function (f) { return f.checked; }).map(function (f) { return f.value; });
      return codes.length ? codes : null;
    }
    var value = fields.length ? fields[0].value.trim() : "";
    if (!value) { return null; }
    if (type === "number") { return /^-?\d+$/.test(value) ? parseInt(value, 10) : value; }
    return value;
  }

  function fillAnswer(block, value) {
    var type = block.getAttribute("data-type");
    inputs(block).forEach(function (field) {
      if (type === "single") { field.checked = value === field.value; }
      else if (type === "multiple") { field.checked = Array.isArray(value) && value.indexOf(field.value) !== -1; }
      else if (value !== null && value !== undefined) { field.value = String(value); }
    });
  }

  function pageAnswers(form, onlyShown) {
    var answers = {};
    all("[data-question]", form).forEach(function (block) {
      if (!onlyShown || !block.hidden) { answers[block.getAttribute("data-question")] = readAnswer(block); }
    });
    return answers;
  }

  function assign(target) {
    for (var i = 1; i < arguments.length; i += 1) {
      var source = arguments[i] || {};
      Object.keys(source).forEach(function (name) { target[name] = source[name]; });
    }
    return target;
  }

  /* -- the page form -------------------------------------------------------------------- */
  function PageForm(form) {
    this.form = form;
    this.offline = form.hasAttribute("data-offline");
    this.conditions = parseJSON(form.getAttribute("data-conditions"), []);
    this.known = parseJSON(form.getAttribute("data-known"), {});
    var params = new URLSearchParams(window.location.search);
    this.params = params;
    this.responseId = form.getAttribute("data-response-id") || params.get("rid") || "";
  }

  PageForm.prototype.record = function () {
    var record = store.get(this.responseId);
    if (record) { return record; }
    var data = this.form.dataset;
    var now = new Date().toISOString();
    return {
      id: this.responseId,
      meta: {
        questionnaire: data.questionnaire, version: data.version, language: data.language,
        area: data.area || this.params.get("area") || "", mode: data.mode,
        consent_version: data.consentVersion, started_at: now, consent_given_at: now
      },
      answers: {},
      queued: false
    };
  };

  PageForm.prototype.allAnswers = function () {
    var saved = this.offline ? (store.get(this.responseId) || { answers: {} }).answers : {};
    return assign({}, this.known, saved, pageAnswers(this.form, false));
  };

  PageForm.prototype.update = function () {
    var visible = visibleIds(this.conditions, this.allAnswers());
    var shown = [];
    all("[data-question]", this.form).forEach(function (block) {
      var id = block.getAttribute("data-question");
      if (block.hasAttribute("data-show-if") || this.offline) { block.hidden = !visible[id]; }
      if (!block.hidden) { shown.push(id); }
    }, this);
    var field = this.form.querySelector("[data-shown]");
    if (field) { field.value = shown.join(" "); }
    return shown;
  };

  PageForm.prototype.exclusive = function (event) {
    var target = event.target;
    var block = target.closest("[data-exclusive]");
    if (!block || target.type !== "checkbox" || !target.checked) { return; }
    var exclusive = target.hasAttribute("data-exclusive");
    inputs(block).forEach(function (field) {
      if (field !== target && (exclusive || field.hasAttribute("data-exclusive"))) { field.checked = false; }
    });
  };

  /* Copy this page's answers to the device (hidden questions count as unanswered). */
  PageForm.prototype.keep = function () {
    if (!this.responseId) { return null; }
    var record = this.record();
    var answers = pageAnswers(this.form, false);
    all("[data-question]", this.form).forEach(function (block) {
      var id = block.getAttribute("data-question");
      record.answers[id] = block.hidden ? null : answers[id];
    });
    record.meta.language = this.form.getAttribute("data-language") || record.meta.language;
    return store.put(record);
  };

  PageForm.prototype.missingRequired = function () {
    var message = this.form.getAttribute("data-required-message");
    var missing = [];
    all("[data-question][data-required]", this.form).forEach(function (block) {
      var old = block.querySelector(".field-errors[data-client]");
      if (old) { old.remove(); }
      block.classList.remove("question--error");
      if (!block.hidden && !isAnswered(readAnswer(block))) {
        var list = document.createElement("ul");
        list.className = "field-errors";
        list.setAttribute("data-client", "");
        list.id = "client-error-" + block.getAttribute("data-question");
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
        var anchor = block.querySelector(".question-tools");
        anchor.parentNode.insertBefore(list, anchor.nextSibling);
        block.classList.add("question--error");
        missing.push(block);
      }
    });
    return missing;
  };

  PageForm.prototype.offlineUrl = function (number, extra) {
    var pattern = this.form.getAttribute("data-offline-pattern");
    var url = new URL(pattern.replace("/p/0?", "/p/" + number + "?"), window.location.href);
    url.searchParams.set("rid", this.responseId);
    Object.keys(extra || {}).forEach(function (name) { url.searchParams.set(name, extra[name]); });
    return url.pathname + url.search;
  };

  /* Without a connection: keep the answers, move between the stored copies of the pages. */
  PageForm.prototype.goOffline = function (nav) {
    var number = parseInt(this.form.getAttribute("data-page"), 10);
    var count = parseInt(this.form.getAttribute("data-page-count"), 10);
    var record = store.get(this.responseId);
    if (record) { record.direction = nav === "back" ? -1 : 1; store.put(record); }
    if (nav === "back") { window.location.href = this.offlineUrl(Math.max(1, number - 1)); return; }
    var missing = this.missingRequired();
    if (missing.length) { inputs(missing[0])[0].focus(); return; }
    if (number < count) { window.location.href = this.offlineUrl(number + 1); return; }
    window.BeboerOffline.finish(this.responseId, this.conditions);
    var thanks = new URL(this.form.getAttribute("data-offline-thanks"), window.location.href);
    thanks.searchParams.set("rid", this.responseId);
    window.location.href = thanks.pathname + thanks.search;
  };

  PageForm.prototype.onSubmit = function (event) {
    this.update();
    this.keep();
    var submitter = event.submitter;
    var nav = submitter ? submitter.getAttribute("data-nav") : null;
    var switching = this.form.querySelector("[data-switch-input]");
    if (!this.offline && navigator.onLine !== false) { return; }
    event.preventDefault();
    if (switching && switching.value) { switching.value = ""; return; }
    if (nav) { this.goOffline(nav); }
  };

  /* On a stored copy of a page: fill in the answers kept on the device, skip a page with
     nothing to ask. */
  PageForm.prototype.restore = function () {
    var record = store.get(this.responseId);
    if (!record) {
      record = window.BeboerOffline.startFromUrl(this.form, this.params);
    }
    if (!record) { return; }
    all("[data-question]", this.form).forEach(function (block) {
      var id = block.getAttribute("data-question");
      if (Object.prototype.hasOwnProperty.call(record.answers, id)) { fillAnswer(block, record.answers[id]); }
    });
    var shown = this.update();
    if (!shown.length) {
      var number = parseInt(this.form.getAttribute("data-page"), 10);
      var count = parseInt(this.form.getAttribute("data-page-count"), 10);
      var step = record.direction === -1 ? -1 : 1;
      var next = number + step;
      if (next >= 1 && next <= count) { window.location.replace(this.offlineUrl(next)); }
    }
  };

  PageForm.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("change", function (event) { self.exclusive(event); self.update(); });
    this.form.addEventListener("input", function () { self.update(); });
    this.form.addEventListener("submit", function (event) { self.onSubmit(event); });
    all("[data-switch-lang]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (self.offline || navigator.onLine === false) { return; }
        event.preventDefault();
        self.form.querySelector("[data-switch-input]").value = link.getAttribute("data-switch-lang");
        self.form.requestSubmit();
      });
    });
    if (this.offline) { this.restore(); } else { this.update(); }
  };

  /* -- read aloud --------------------------------------------------------------------- */
  function voiceFor(language) {
    if (!("speechSynthesis" in window)) { return null; }
    return window.speechSynthesis.getVoices().filter(function (voice) {
      return voice.lang.toLowerCase().split(/[-_]/)[0] === language;
    })[0] || null;
  }

  function speak(text, language) {
    var voice = voiceFor(language);
    if (!voice) { return; }
    window.speechSynthesis.cancel();
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = voice.lang;
    utterance.voice = voice;
    window.speechSynthesis.speak(utterance);
  }

  function questionText(block) {
    var parts = [block.querySelector(".question-text").textContent];
    all(".choice-label", block).forEach(function (label) { parts.push(label.textContent.trim()); });
    /* A pause after each part: end it with a full stop unless it has its own punctuation. */
    return parts.map(function (part) { return /[.?!:;؟۔]$/.test(part) ? part : part + "."; }).join(" ");
  }

  function setUpReadAloud() {
    var language = document.documentElement.lang;
    var player = null;
    function reveal() {
      var voice = voiceFor(language);
      all("[data-speak]").forEach(function (button) { button.hidden = !(button.hasAttribute("data-audio") || voice); });
      all("[data-speak-choice]").forEach(function (button) { button.hidden = !voice; });
    }
    all("[data-speak]").forEach(function (button) {
      button.addEventListener("click", function () {
        var audio = button.getAttribute("data-audio");
        if (audio) {
          if (player) { player.pause(); }
          player = new Audio(audio);
          player.play().catch(function (error) { console.warn("beboer: cannot play", audio, error); });
          return;
        }
        speak(questionText(button.closest("[data-question]")), language);
      });
    });
    all("[data-speak-choice]").forEach(function (button) {
      button.addEventListener("click", function () {
        var label = document.querySelector("label[for='" + button.getAttribute("data-speak-choice") + "']");
        if (label) { speak(label.textContent.trim(), language); }
      });
    });
    reveal();
    if ("speechSynthesis" in window) { window.speechSynthesis.addEventListener("voiceschanged", reveal); }
  }

  /* -- focus, kiosk ------------------------------------------------------------------- */
  function focusHeading() {
    var target = document.querySelector("[data-error-summary]") || document.querySelector("[data-focus-heading]");
    if (target) { target.focus(); }
  }

  function setUpKioskReset() {
    var body = document.body;
    var seconds = parseInt(body.getAttribute("data-kiosk-reset"), 10);
    var url = body.getAttribute("data-reset-url");
    if (!url || isNaN(seconds)) { return; }
    if (store) { store.forgetUnsent(); }
    function reset() { window.location.replace(url); }
    window.setTimeout(reset, seconds * 1000);
    all("[data-reset-now]").forEach(function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); reset(); });
    });
  }

  function start() {
    all("[data-page-form]").forEach(function (form) { new PageForm(form).bind(); });
    setUpReadAloud();
    if (window.BeboerOffline) { window.BeboerOffline.finishFromUrl(); }
    setUpKioskReset();
    focusHeading();
  }

  window.BeboerForm = { evaluate: evaluate, visibleIds: visibleIds, isAnswered: isAnswered };
  /* Deferred scripts run before DOMContentLoaded; wait for it so offline.js is loaded too. */
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();

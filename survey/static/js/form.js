/* beboer: the resident form in the browser.
   - focus on the page heading (or the error summary) after each page change;
   - conditional questions shown and hidden at once (show_if from data attributes,
     evaluated like questionnaires.conditions.evaluate; no eval);
   - "exclusive" choices ("Ved ikke", "Ingen") untick the others whatever the order;
   - every change copied to the device (BeboerStore, IndexedDB), so that a lost connection
     loses nothing; a page the server renders has acknowledged what was sent before, so
     that copy is removed then (answers given offline stay until the outbox sends them);
   - without a connection: the stored page copies, the same error summary and the same
     soft prompt for unanswered questions as the server's, the language switch;
   - read-aloud buttons; the kiosk (kiosk.js) gets the page's forms. */
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
  var RESPONSE_IN_PATH = /\/r\/([0-9a-f-]{36})\/p\/\d+/;

  function PageForm(form) {
    this.form = form;
    this.offline = form.hasAttribute("data-offline");
    this.conditions = parseJSON(form.getAttribute("data-conditions"), []);
    this.known = parseJSON(form.getAttribute("data-known"), {});
    var params = new URLSearchParams(window.location.search);
    var inPath = RESPONSE_IN_PATH.exec(window.location.pathname);
    this.params = params;
    this.responseId = form.getAttribute("data-response-id") || params.get("rid") || (inPath ? inPath[1] : "");
    this.saved = null;         /* the record kept on the device, once loaded */
    this.ready = null;         /* on a server page: the sent answers are forgotten */
    this.softAsked = false;    /* offline: unanswered questions already pointed out once */
    /* A stored copy served for a server page (the connection was lost): it is offline too. */
    if (!this.offline && !form.querySelector("input[name='csrf_token']")) { this.offline = true; }
  }

  PageForm.prototype.newRecord = function () {
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
    var saved = this.offline && this.saved ? this.saved.answers : {};
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

  /* "Ved ikke", "Ingen": ticking one unticks the others, ticking another unticks it. */
  PageForm.prototype.exclusive = function (event) {
    var target = event.target;
    var block = target.closest("[data-question][data-exclusive]");
    if (!block || target.type !== "checkbox" || !target.checked) { return; }
    var exclusive = target.hasAttribute("data-exclusive");
    inputs(block).forEach(function (field) {
      if (field !== target && field.type === "checkbox" && (exclusive || field.hasAttribute("data-exclusive"))) {
        field.checked = false;
      }
    });
  };

  /* Copy this page's answers to the device (hidden questions count as unanswered). */
  PageForm.prototype.keep = function (offline) {
    if (!this.responseId || !store) { return Promise.resolve(null); }
    var self = this;
    /* After the acknowledged answers are forgotten, so that they are not written back. */
    return (this.ready || Promise.resolve()).then(function () {
      return store.get(self.responseId);
    }).catch(function () { return null; }).then(function (record) {
      record = record || self.newRecord();
      if (record.queued) { return record; }
      var answers = pageAnswers(self.form, false);
      all("[data-question]", self.form).forEach(function (block) {
        var id = block.getAttribute("data-question");
        record.answers[id] = block.hidden ? null : answers[id];
      });
      record.meta.language = self.form.getAttribute("data-language") || record.meta.language;
      record.conditions = self.conditions;
      record.tab = store.tab();
      record.offline = Boolean(record.offline || offline);
      /* Kept on a page the server rendered: the server holds the earlier answers (a draft). */
      if (!self.offline) { record.serverDraft = true; }
      self.saved = record;
      return store.put(record);
    }).catch(function (error) {
      console.warn("beboer: cannot keep the answers on the device", error);
      return null;
    });
  };

  function removeClientMessages(form) {
    all("[data-client]", form).forEach(function (element) { element.remove(); });
    all(".question--error", form).forEach(function (block) { block.classList.remove("question--error"); });
    var summary = document.querySelector("[data-client-summary]");
    if (summary) { summary.remove(); }
  }

  /* The error summary as the server renders it: a list of links to the questions. */
  PageForm.prototype.summary = function (title, entries, extraClass) {
    var box = document.createElement("div");
    box.className = "error-summary" + (extraClass ? " " + extraClass : "");
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    box.setAttribute("data-client-summary", "");
    box.setAttribute("data-error-summary", "");
    var heading = document.createElement("h2");
    heading.textContent = title;
    box.appendChild(heading);
    var list = document.createElement("ul");
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var first = inputs(entry.block)[0];
      link.href = "#" + (first ? first.id : entry.block.id);
      var question = document.createElement("span");
      question.className = "summary-question";
      question.textContent = entry.block.querySelector(".question-text").textContent;
      link.appendChild(question);
      if (entry.message) {
        var message = document.createElement("span");
        message.className = "summary-message";
        message.textContent = " " + entry.message;
        link.appendChild(message);
      }
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    var progress = document.querySelector(".progress-text");
    progress.parentNode.insertBefore(box, progress);
    return box;
  };

  /* Offline: required questions left empty, shown as the server shows them. */
  PageForm.prototype.missingRequired = function () {
    var message = this.form.getAttribute("data-required-message");
    var missing = [];
    all("[data-question][data-required]", this.form).forEach(function (block) {
      if (!block.hidden && !isAnswered(readAnswer(block))) {
        var list = document.createElement("ul");
        list.className = "field-errors";
        list.setAttribute("data-client", "");
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
        var anchor = block.querySelector(".question-tools");
        anchor.parentNode.insertBefore(list, anchor.nextSibling);
        block.classList.add("question--error");
        missing.push({ block: block, message: message });
      }
    });
    if (missing.length) { this.summary(this.form.getAttribute("data-summary-title"), missing).focus(); }
    return missing;
  };

  /* Offline: questions left unanswered are pointed out once, softly; the next press goes on. */
  PageForm.prototype.unansweredOnce = function () {
    if (this.softAsked) { return false; }
    var open = all("[data-question]", this.form).filter(function (block) {
      return !block.hidden && !block.hasAttribute("data-required") && !isAnswered(readAnswer(block));
    }).map(function (block) { return { block: block }; });
    if (!open.length) { return false; }
    this.softAsked = true;
    var box = this.summary(this.form.getAttribute("data-soft-title"), open, "soft-prompt");
    box.setAttribute("role", "status");
    box.setAttribute("data-soft-prompt", "");
    var note = document.createElement("p");
    note.textContent = this.form.getAttribute("data-soft-continue");
    box.appendChild(note);
    box.focus();
    return true;
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
    var self = this;
    var number = parseInt(this.form.getAttribute("data-page"), 10);
    var count = parseInt(this.form.getAttribute("data-page-count"), 10);
    removeClientMessages(this.form);
    if (nav !== "back") {
      if (this.missingRequired().length) { return; }
      if (this.unansweredOnce()) { return; }
    }
    this.keep(true).then(function (record) {
      if (record) { record.direction = nav === "back" ? -1 : 1; return store.put(record); }
      return null;
    }).then(function () {
      if (nav === "back") { window.location.href = self.offlineUrl(Math.max(1, number - 1)); return; }
      if (number < count) { window.location.href = self.offlineUrl(number + 1); return; }
      var thanks = new URL(self.form.getAttribute("data-offline-thanks"), window.location.href);
      thanks.searchParams.set("rid", self.responseId);
      thanks.searchParams.set("finish", "1");
      window.location.href = thanks.pathname + thanks.search;
    });
  };

  PageForm.prototype.onSubmit = function (event) {
    this.update();
    var submitter = event.submitter;
    var nav = submitter ? submitter.getAttribute("data-nav") : null;
    var switching = this.form.querySelector("[data-switch-input]");
    if (!this.offline && navigator.onLine !== false) {
      /* The working copy is kept up to date on every change; the server takes it from here. */
      return;
    }
    event.preventDefault();
    if (switching && switching.value) { switching.value = ""; return; }
    if (nav) { this.goOffline(nav); }
  };

  /* Another language while offline: keep the answers, open the stored copy in that language. */
  PageForm.prototype.switchOffline = function (language) {
    var self = this;
    var number = parseInt(this.form.getAttribute("data-page"), 10);
    this.keep(true).then(function () {
      window.location.href = self.offlineUrl(number, { lang: language });
    });
  };

  /* On a stored copy of a page: fill in the answers kept on the device, skip a page with
     nothing to ask. */
  PageForm.prototype.restore = function () {
    var self = this;
    return store.get(this.responseId).catch(function () { return null; }).then(function (record) {
      if (!record && self.params.get("start") === "1" && self.responseId) {
        record = self.newRecord();
        record.area = self.params.get("area") || "";
        record.meta.area = self.params.get("area") || "";
        record.tab = store.tab();
        record.offline = true;
        return store.put(record);
      }
      return record;
    }).then(function (record) {
      if (!record) { self.update(); return; }
      self.saved = record;
      record.meta.language = self.form.getAttribute("data-language") || record.meta.language;
      /* On a stored copy the server may not have the last answers: if this tab is closed,
         the response goes to the outbox rather than being dropped. */
      if (!record.queued && (!record.offline || record.tab !== store.tab())) {
        record.offline = true;
        record.tab = store.tab();
        store.put(record);
      }
      all("[data-question]", self.form).forEach(function (block) {
        var id = block.getAttribute("data-question");
        if (Object.prototype.hasOwnProperty.call(record.answers, id)) { fillAnswer(block, record.answers[id]); }
      });
      var shown = self.update();
      if (!shown.length) {
        var number = parseInt(self.form.getAttribute("data-page"), 10);
        var count = parseInt(self.form.getAttribute("data-page-count"), 10);
        var next = number + (record.direction === -1 ? -1 : 1);
        if (next >= 1 && next <= count) { window.location.replace(self.offlineUrl(next)); }
      }
    });
  };

  PageForm.prototype.bind = function () {
    var self = this;
    /* Every change is copied to the device at once, so that a connection lost on the way
       (or a tab closed while offline) loses nothing. */
    this.form.addEventListener("change", function (event) { self.exclusive(event); self.update(); self.keep(self.offline); });
    this.form.addEventListener("input", function () { self.update(); self.keep(self.offline); });
    this.form.addEventListener("submit", function (event) { self.onSubmit(event); });
    all("[data-switch-lang]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var language = link.getAttribute("data-switch-lang");
        if (self.offline || navigator.onLine === false) { self.switchOffline(language); return; }
        self.form.querySelector("[data-switch-input]").value = language;
        self.form.requestSubmit();
      });
    });
    if (this.offline) { this.restore(); } else { this.update(); this.ready = this.acknowledged(); }
  };

  /* A page the server rendered: the server has stored every answer sent before it (the
     draft), so the device forgets them. Only answers given offline (never acknowledged)
     stay, to go to the outbox; answers typed on this page are kept again as they change. */
  PageForm.prototype.acknowledged = function () {
    if (!this.responseId || !store) { return Promise.resolve(); }
    var id = this.responseId;
    return store.get(id).then(function (record) {
      if (record && !record.queued && !record.offline) { return store.remove(id); }
      return null;
    }).catch(function (error) { console.warn("beboer: cannot forget the sent answers", error); });
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

  function start() {
    var forms = all("[data-page-form]").map(function (form) { var page = new PageForm(form); page.bind(); return page; });
    setUpReadAloud();
    if (window.BeboerKiosk) { window.BeboerKiosk.start(forms); }
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

/* beboer: answers kept on this device until the server has them.
   One record per response in localStorage under "beboer:response:<id>":
   {id, meta: {questionnaire, version, language, area, mode, consent_version, started_at,
   consent_given_at}, answers: {question id: value}, queued: bool, payload, status}. */
(function (scope) {
  "use strict";
  var PREFIX = "beboer:response:";

  function key(id) { return PREFIX + id; }

  function get(id) {
    if (!id) { return null; }
    try {
      var text = scope.localStorage.getItem(key(id));
      return text ? JSON.parse(text) : null;
    } catch (error) {
      console.warn("beboer: cannot read the saved answers", error);
      return null;
    }
  }

  function put(record) {
    scope.localStorage.setItem(key(record.id), JSON.stringify(record));
    return record;
  }

  function remove(id) { scope.localStorage.removeItem(key(id)); }

  function all() {
    var records = [];
    for (var i = 0; i < scope.localStorage.length; i += 1) {
      var name = scope.localStorage.key(i);
      if (name && name.indexOf(PREFIX) === 0) {
        var record = get(name.slice(PREFIX.length));
        if (record) { records.push(record); }
      }
    }
    return records;
  }

  /* Forget every response not waiting to be sent (a kiosk between residents). */
  function forgetUnsent() {
    all().forEach(function (record) { if (!record.queued) { remove(record.id); } });
  }

  scope.BeboerStore = { get: get, put: put, remove: remove, all: all, forgetUnsent: forgetUnsent };
})(window);

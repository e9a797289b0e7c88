/* beboer: answers kept on this device only until the server has them.
   One record per response in IndexedDB (database "beboer", store "responses"):
   {id, meta: {questionnaire, version, language, area, mode, consent_version, started_at,
   consent_given_at}, answers: {question id: value}, tab, queued: bool, payload, status,
   attempts, next_try}.
   A record is "queued" once the resident has finished (or left) it: it is the outbox
   ("unfinished" ones are sent as drafts). Every other record is a working copy of a
   response in progress in this tab, holding only the answers the server has not
   acknowledged: a page the server renders has stored the earlier ones (form.js drops
   them then); "serverDraft" says the server holds a draft the device's answers complete.
   forget() removes every working copy and every other trace (localStorage,
   sessionStorage, Cache Storage of pages) but keeps the outbox until it is sent. */
(function (scope) {
  "use strict";
  var NAME = "beboer";
  var STORE = "responses";
  var TAB_KEY = "beboer:tab";
  var KEEP = "beboer:cached:";  /* "page copies are kept": no answers in it */
  var opening = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    if (opening) { return opening; }
    opening = new Promise(function (resolve, reject) {
      if (!scope.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var req = scope.indexedDB.open(NAME, 1);
      req.onupgradeneeded = function () {
        if (!req.result.objectStoreNames.contains(STORE)) {
          req.result.createObjectStore(STORE, { keyPath: "id" });
        }
      };
      req.onsuccess = function () {
        var db = req.result;
        db.onversionchange = function () { db.close(); opening = null; };
        resolve(db);
      };
      req.onerror = function () { reject(req.error); };
      req.onblocked = function () { reject(new Error("IndexedDB blocked")); };
    });
    opening.catch(function () { opening = null; });
    return opening;
  }

  function withStore(mode, action) {
    return open().then(function (db) {
      var tx = db.transaction(STORE, mode);
      action(tx.objectStore(STORE));
      return new Promise(function (resolve, reject) {
        tx.oncomplete = function () { resolve(); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function get(id) {
    if (!id) { return Promise.resolve(null); }
    return open().then(function (db) {
      return request(db.transaction(STORE, "readonly").objectStore(STORE).get(id));
    }).then(function (record) { return record || null; });
  }

  function put(record) {
    return withStore("readwrite", function (store) { store.put(record); }).then(function () { return record; });
  }

  function remove(id) {
    return withStore("readwrite", function (store) { store.delete(id); });
  }

  function all() {
    return open().then(function (db) {
      return request(db.transaction(STORE, "readonly").objectStore(STORE).getAll());
    });
  }

  /* This tab's id: a working copy from another (closed) tab has been left by its resident. */
  function tab() {
    var id = scope.sessionStorage.getItem(TAB_KEY);
    if (!id) {
      id = String(Date.now()) + "-" + Math.random().toString(16).slice(2);
      scope.sessionStorage.setItem(TAB_KEY, id);
    }
    return id;
  }

  /* Names in localStorage and sessionStorage written by beboer (older versions kept answers there). */
  function clearWebStorage(keepFlags) {
    [scope.localStorage, scope.sessionStorage].forEach(function (storage) {
      var names = [];
      for (var i = 0; i < storage.length; i += 1) {
        var name = storage.key(i);
        if (name && name.indexOf("beboer:") === 0 && name !== TAB_KEY && !(keepFlags && name.indexOf(KEEP) === 0)) { names.push(name); }
      }
      names.forEach(function (name) { storage.removeItem(name); });
    });
  }

  /* Remove every working copy of answers; the outbox (finished, not yet sent) stays.
     The page copies in Cache Storage hold no answers, but they are dropped too so that
     the next resident's device starts clean (they are fetched again when online). */
  function forget(options) {
    var all_ = Boolean(options && options.caches);
    clearWebStorage(!all_);
    var caches = (all_ && "caches" in scope)
      ? scope.caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("beboer-") === 0; })
          .map(function (name) { return scope.caches.delete(name); }));
      }) : Promise.resolve();
    var records = all().then(function (list) {
      return Promise.all(list.filter(function (record) { return !record.queued; })
        .map(function (record) { return remove(record.id); }));
    }).catch(function (error) { console.warn("beboer: cannot clear the saved answers", error); });
    return Promise.all([caches, records]);
  }

  scope.BeboerStore = {
    get: get, put: put, remove: remove, all: all, forget: forget, tab: tab
  };
})(window);

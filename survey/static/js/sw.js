/* beboer service worker: keeps the form's files and page copies so a lost connection
   does not stop a resident. Network first; the stored copy only when the network fails.
   A page submitted without a connection is answered with the stored copy of the next
   page (the page script has already kept the answers on the device). */
"use strict";

var CACHE = "beboer-pages-v1";
var PAGE = /^\/s\/([^/]+)\/r\/([0-9a-f-]{36})\/p\/(\d+)$/;
var START = /^\/s\/([^/]+)$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

/* The cache key of a page copy: only the language and mode matter. */
function copyKey(url) {
  var key = new URL(url.pathname, url.origin);
  ["lang", "mode"].forEach(function (name) {
    if (url.searchParams.has(name)) { key.searchParams.set(name, url.searchParams.get(name)); }
  });
  return key.href;
}

function offlineCopy(qid, number, params) {
  var url = new URL("/s/" + qid + "/offline/p/" + number, self.location.origin);
  Object.keys(params).forEach(function (name) { if (params[name]) { url.searchParams.set(name, params[name]); } });
  return url;
}

function answerPost(request, url) {
  return request.formData().then(function (data) {
    var page = PAGE.exec(url.pathname);
    var lang = data.get("switch_lang") || data.get("lang");
    var mode = data.get("mode") || "web";
    if (page) {
      var number = parseInt(data.get("page"), 10);
      var count = parseInt(data.get("pages"), 10);
      var step = data.has("back") ? -1 : (data.get("switch_lang") ? 0 : 1);
      var target = Math.max(1, number + step);
      if (target > count) {
        var thanks = new URL("/s/" + page[1] + "/offline/thanks", self.location.origin);
        thanks.search = new URLSearchParams({ lang: lang, mode: mode, rid: page[2], finish: "1" }).toString();
        return Response.redirect(thanks.href, 303);
      }
      return Response.redirect(offlineCopy(page[1], target, { lang: lang, mode: mode, rid: page[2] }).href, 303);
    }
    var startPage = START.exec(url.pathname);
    if (startPage && data.get("consent") && data.get("area")) {
      return Response.redirect(offlineCopy(startPage[1], 1, {
        lang: lang, mode: mode, rid: self.crypto.randomUUID(), start: "1", area: data.get("area")
      }).href, 303);
    }
    return caches.match(url.href).then(function (cached) { return cached || Response.error(); });
  });
}

function fromCache(request, url) {
  var key = url.pathname.indexOf("/offline/") !== -1 ? copyKey(url) : request;
  return caches.match(key).then(function (cached) {
    if (cached) { return cached; }
    var page = PAGE.exec(url.pathname);
    if (page && url.searchParams.get("lang")) {
      return caches.match(copyKey(offlineCopy(page[1], page[3], {
        lang: url.searchParams.get("lang"), mode: url.searchParams.get("mode")
      })));
    }
    return undefined;
  }).then(function (cached) { return cached || Response.error(); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) { return; }
  if (request.method === "POST" && request.mode === "navigate") {
    var copy = request.clone();
    event.respondWith(fetch(request).catch(function () { return answerPost(copy, url); }));
    return;
  }
  if (request.method !== "GET") { return; }
  event.respondWith(fetch(request).catch(function () { return fromCache(request, url); }));
});

// Gezel offline sync, on every page and on the offline page: registers the service worker,
// refreshes the encrypted copy of the caseload, and sends the outbox through the JSON API
// with the session cookie, the X-CSRFToken header and each item's Idempotency-Key.
//
// An item leaves the outbox only when the server acknowledged it (200 or 201). A lost answer
// or a dropped connection leaves it in place; the next run sends it again with the same key
// and the server answers with the record it stored the first time. A refusal (4xx) moves it
// to "Not sent" with the server's reason. Items go out only under the session of the user
// who made them.
(function () {
  "use strict";

  var G = window.GezelOffline = window.GezelOffline || {};
  var store = G.store;
  var running = null;
  var REFRESH_EVERY_MS = 60 * 1000;

  function texts() {
    if (!G.texts) {
      var block = document.getElementById("offline-texts");
      try { G.texts = block ? JSON.parse(block.textContent) : {}; } catch (e) { G.texts = {}; }
    }
    return G.texts;
  }

  function changed(detail) {
    document.dispatchEvent(new CustomEvent("gezel-offline-changed", { detail: detail || {} }));
  }

  // {user, csrf_token, max_hours, idle_minutes}; "gone" when signed out; null when offline.
  async function session() {
    var response;
    try {
      response = await fetch("/offline/session", {
        credentials: "same-origin", redirect: "manual", cache: "no-store",
        headers: { "Accept": "application/json" }
      });
    } catch (error) {
      return null;
    }
    if (response.status === 401 || response.type === "opaqueredirect") { return "gone"; }
    if (!response.ok) { return null; }
    var body = await response.json();
    try {
      localStorage.setItem("gezel-offline-idle-minutes", String(body.idle_minutes));
      localStorage.setItem("gezel-offline-max-hours", String(body.max_hours));
    } catch (e) { /* storage may be off; the defaults apply */ }
    return body;
  }

  async function refreshSnapshot(force) {
    var last = Number(sessionStorage.getItem("gezel-offline-refreshed") || 0);
    var cached = await store.getSnapshot();
    if (!force && cached && !cached.corrupted && Date.now() - last < REFRESH_EVERY_MS) { return; }
    var response;
    try {
      response = await fetch("/offline/data", {
        credentials: "same-origin", redirect: "manual", cache: "no-store",
        headers: { "Accept": "application/json" }
      });
    } catch (error) {
      return;
    }
    if (response.status === 401 || response.type === "opaqueredirect") {
      await store.wipeCache();
      return;
    }
    if (!response.ok) { return; }
    var snapshot = await response.json();
    try {
      await store.putSnapshot(snapshot);
      sessionStorage.setItem("gezel-offline-refreshed", String(Date.now()));
    } catch (error) {
      changed({ message: store.isQuotaError(error) ? texts().quota : texts().storage_failed, level: "danger" });
    }
  }

  function refusal(item, status, problem) {
    item.status = "refused";
    item.httpStatus = status;
    item.reason = status === 404 ? texts().not_in_scope : (problem.detail || texts().refused);
    item.errors = problem.errors || null;
    return item;
  }

  async function sendOutbox(current) {
    var listed = await store.listItems();
    var sent = 0;
    var mine = listed.items.filter(function (item) {
      return item.status === "pending" && item.userId === current.user.id;
    });
    for (var i = 0; i < mine.length; i++) {
      var item = mine[i];
      var response;
      try {
        response = await fetch(item.url, {
          method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
          headers: {
            "Content-Type": "application/json", "Accept": "application/json",
            "X-CSRFToken": current.csrf_token, "Idempotency-Key": item.id
          },
          body: JSON.stringify(item.body)
        });
      } catch (error) {
        return { sent: sent, stopped: "network" };  // kept; sent again with the same key
      }
      if (response.status === 200 || response.status === 201) {
        await store.deleteItem(item.id);
        sent += 1;
        continue;
      }
      if (response.status === 401 || response.type === "opaqueredirect") {
        await store.wipeCache();
        return { sent: sent, stopped: "session" };
      }
      if (response.status === 429 || response.status >= 500 || response.status === 0) {
        return { sent: sent, stopped: "busy" };  // kept; tried again later
      }
      var problem = {};
      try { problem = await response.json(); } catch (e) { problem = {}; }
      await store.putItem(refusal(item, response.status, problem));
    }
    return { sent: sent, stopped: null };
  }

  // One run at a time per page: session, outbox, then a fresh snapshot.
  function run(options) {
    if (running) { return running; }
    options = options || {};
    running = (async function () {
      var current = await session();
      if (current === "gone") {
        await store.wipeCache();
        changed({ session: "gone" });
        return { session: "gone" };
      }
      if (current === null) { changed({ offline: true }); return { offline: true }; }
      var result = await sendOutbox(current);
      if (result.stopped === "session") { changed({ session: "gone" }); return result; }
      await refreshSnapshot(options.refresh === "force" || result.sent > 0);
      changed({ sent: result.sent, session: "ok" });
      return result;
    })();
    running.catch(function () { /* reported through the page */ }).then(function () { running = null; }, function () { running = null; });
    return running;
  }

  // Sign-out wipes the device: first a last attempt to send, then (after a confirmation
  // when something could not be sent) every store.
  document.addEventListener("submit", async function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-sign-out]") || form.dataset.wiped === "1") { return; }
    event.preventDefault();
    try {
      if (navigator.onLine) { await run(); }
      var listed = await store.listItems();
      var left = listed.items.length + listed.corrupted;
      if (left && !window.confirm(texts().confirm_sign_out.replace("{n}", left))) {
        form.dataset.submitting = "";
        return;
      }
      await store.wipeAll();
    } catch (error) { /* the server signs out regardless */ }
    form.dataset.wiped = "1";
    form.submit();
  });

  G.sync = { run: run, session: session, refreshSnapshot: refreshSnapshot, texts: texts };

  var body = document.body;
  if (!body || body.dataset.offline !== "on") { return; }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/service-worker.js").catch(function () { /* optional */ });
  }
  if (body.hasAttribute("data-offline-app")) { return; }  // the offline page runs itself
  if (body.dataset.signedIn === "1") {
    try { localStorage.setItem("gezel-offline-active", String(Date.now())); } catch (e) { /* off */ }
    run({ refresh: true });
    window.addEventListener("online", function () { run(); });
  } else {
    store.wipeCache().catch(function () { /* nothing stored */ });  // signed out or timed out
  }
})();

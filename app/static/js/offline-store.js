// Gezel offline store: IndexedDB (through the vendored idb library), every record encrypted
// with AES-GCM under a non-extractable WebCrypto key that is itself kept in IndexedDB as a
// CryptoKey object (a script can use it, but never read it out).
//
// Stores: "keys" (the CryptoKey), "cache" (the snapshot of the caseload) and "outbox" (what
// waits to be sent, keyed by its Idempotency-Key). Only the user id, status and time of an
// outbox item are readable without the key; everything else is in the encrypted payload.
(function () {
  "use strict";

  var DB_NAME = "gezel-offline";
  var STORES = ["keys", "cache", "outbox"];
  var dbPromise = null;
  var keyPromise = null;

  function database() {
    if (!dbPromise) {
      dbPromise = idb.openDB(DB_NAME, 1, {
        upgrade: function (db) {
          db.createObjectStore("keys");
          db.createObjectStore("cache");
          db.createObjectStore("outbox", { keyPath: "id" });
        }
      });
    }
    return dbPromise;
  }

  // The device key: made once, stored as a CryptoKey. Made and claimed in one transaction,
  // so two tabs never end up with different keys.
  function deviceKey() {
    if (!keyPromise) {
      keyPromise = (async function () {
        var db = await database();
        var existing = await db.get("keys", "main");
        if (existing) { return existing; }
        var made = await crypto.subtle.generateKey(
          { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
        var tx = db.transaction("keys", "readwrite");
        var claimed = await tx.store.get("main");
        if (!claimed) { await tx.store.put(made, "main"); claimed = made; }
        await tx.done;
        return claimed;
      })();
      keyPromise.catch(function () { keyPromise = null; });
    }
    return keyPromise;
  }

  async function encrypt(value) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(value));
    var data = await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, await deviceKey(), plain);
    return { iv: iv, data: data };
  }

  async function decrypt(record) {
    if (!record || !(record.iv instanceof Uint8Array) || !(record.data instanceof ArrayBuffer)) {
      throw new Error("not an encrypted record");
    }
    var plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: record.iv }, await deviceKey(), record.data);
    return JSON.parse(new TextDecoder().decode(plain));
  }

  function isQuotaError(error) {
    return !!error && (error.name === "QuotaExceededError" ||
      (error.inner && error.inner.name === "QuotaExceededError"));
  }

  // --- the cached snapshot -------------------------------------------------------------

  async function putSnapshot(snapshot) {
    var sealed = await encrypt(snapshot);
    var db = await database();
    await db.put("cache", {
      userId: snapshot.user.id, savedAt: Date.now(), iv: sealed.iv, data: sealed.data
    }, "snapshot");
  }

  // {snapshot, savedAt, userId}, null when there is none, {corrupted: true} when it cannot
  // be read (then it is removed).
  async function getSnapshot() {
    var db = await database();
    var record = await db.get("cache", "snapshot");
    if (!record) { return null; }
    try {
      var snapshot = await decrypt(record);
      if (!snapshot || !snapshot.user || !Array.isArray(snapshot.clients)) { throw new Error("shape"); }
      return { snapshot: snapshot, savedAt: record.savedAt, userId: record.userId };
    } catch (error) {
      await db.delete("cache", "snapshot");
      return { corrupted: true };
    }
  }

  async function wipeCache() {
    var db = await database();
    await db.clear("cache");
  }

  // --- the outbox ----------------------------------------------------------------------

  var KINDS = ["contact", "note", "checkin"];
  var URL_PATTERN = /^\/api\/v1\/clients\/\d+\/(contacts|notes|check-ins)$/;
  var KEY_PATTERN = /^[A-Za-z0-9_\-]{16,80}$/;

  function wellFormed(item, record) {
    return item && item.id === record.id && KEY_PATTERN.test(item.id) &&
      KINDS.indexOf(item.kind) >= 0 && typeof item.url === "string" && URL_PATTERN.test(item.url) &&
      item.body && typeof item.body === "object" && item.userId === record.userId;
  }

  async function putItem(item) {
    var sealed = await encrypt(item);
    var db = await database();
    await db.put("outbox", {
      id: item.id, userId: item.userId, status: item.status, createdAt: item.createdAt,
      iv: sealed.iv, data: sealed.data
    });
  }

  // {items, corrupted}: the readable items, oldest first, and how many records were skipped
  // (unreadable or not made by this page: they are never sent).
  async function listItems() {
    var db = await database();
    var records = await db.getAll("outbox");
    var items = [];
    var corrupted = 0;
    for (var i = 0; i < records.length; i++) {
      try {
        var item = await decrypt(records[i]);
        if (!wellFormed(item, records[i])) { throw new Error("shape"); }
        items.push(item);
      } catch (error) {
        corrupted += 1;
      }
    }
    items.sort(function (a, b) { return a.createdAt - b.createdAt; });
    return { items: items, corrupted: corrupted };
  }

  async function deleteItem(id) {
    var db = await database();
    await db.delete("outbox", id);
  }

  // Everything: at sign-out. The key goes too; a new one is made when needed.
  async function wipeAll() {
    var db = await database();
    var tx = db.transaction(STORES, "readwrite");
    await Promise.all(STORES.map(function (name) { return tx.objectStore(name).clear(); }));
    await tx.done;
    keyPromise = null;
  }

  // For checks (tests, a DPO's audit): every record decrypted, as one JSON text.
  async function readableText() {
    var db = await database();
    var out = [];
    for (var s = 0; s < 2; s++) {
      var name = ["cache", "outbox"][s];
      var records = await db.getAll(name);
      for (var i = 0; i < records.length; i++) {
        try { out.push(await decrypt(records[i])); } catch (error) { out.push(null); }
      }
    }
    return JSON.stringify(out);
  }

  async function counts() {
    var db = await database();
    var result = {};
    for (var i = 0; i < STORES.length; i++) { result[STORES[i]] = await db.count(STORES[i]); }
    return result;
  }

  window.GezelOffline = window.GezelOffline || {};
  window.GezelOffline.store = {
    putSnapshot: putSnapshot, getSnapshot: getSnapshot, wipeCache: wipeCache,
    putItem: putItem, listItems: listItems, deleteItem: deleteItem, wipeAll: wipeAll,
    readableText: readableText, counts: counts, isQuotaError: isQuotaError
  };
})();

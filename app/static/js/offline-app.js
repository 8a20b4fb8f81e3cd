// The offline page: shows the encrypted local copy of the caseload, records attempts,
// contacts, notes and check-ins into the outbox, and lists what waits and what was refused.
// Everything shown is built with textContent (never HTML from data).
(function () {
  "use strict";

  var G = window.GezelOffline;
  var store = G.store;
  var sync = G.sync;
  var T = sync.texts();
  var state = { cached: null, items: [], corrupted: 0, client: null, session: "unknown" };
  var ACTIVE_KEY = "gezel-offline-active";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function fmt(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (m, name) { return values[name]; });
  }
  function number(name, fallback) {
    try { return Number(localStorage.getItem(name)) || fallback; } catch (e) { return fallback; }
  }

  // --- messages ------------------------------------------------------------------------

  function message(text, level, testid) {
    var box = el("div", "alert alert-" + (level || "info"), text);
    box.setAttribute("role", level === "danger" ? "alert" : "status");
    if (testid) { box.dataset.testid = testid; }
    $("#offline-messages").appendChild(box);
  }
  function clearMessages() { $("#offline-messages").textContent = ""; }

  // --- idle time-out and expiry --------------------------------------------------------

  function touch() {
    try { localStorage.setItem(ACTIVE_KEY, String(Date.now())); } catch (e) { /* off */ }
  }
  async function enforceLimits() {
    var idleMs = number("gezel-offline-idle-minutes", 30) * 60 * 1000;
    var last = number(ACTIVE_KEY, Date.now());
    if (state.cached && state.cached.snapshot && Date.now() - last > idleMs) {
      await store.wipeCache();
      state.cached = null;
      message(T.idle, "warning");
    }
    var maxMs = number("gezel-offline-max-hours", 72) * 3600 * 1000;
    if (state.cached && state.cached.snapshot && Date.now() - state.cached.savedAt > maxMs) {
      await store.wipeCache();
      state.cached = null;
      message(T.expired, "warning");
    }
  }

  // --- loading -------------------------------------------------------------------------

  async function load() {
    state.cached = await store.getSnapshot();
    if (state.cached && state.cached.corrupted) {
      state.cached = null;
      message(fmt(T.corrupted, { n: 1 }), "warning", "corrupted");
    }
    var listed = await store.listItems();
    state.items = listed.items;
    state.corrupted = listed.corrupted;
  }

  function snapshot() { return state.cached && state.cached.snapshot; }
  function userId() { return snapshot() ? snapshot().user.id : null; }
  function myItems() {
    return state.items.filter(function (item) { return item.userId === userId(); });
  }

  // --- rendering -----------------------------------------------------------------------

  function show(view) {
    $$("[data-view]").forEach(function (section) { section.hidden = section.dataset.view !== view; });
    state.view = view;
  }

  function renderBanner() {
    var banner = $("#offline-banner");
    var online = navigator.onLine && state.session === "ok";
    var text;
    if (snapshot()) {
      var time = new Date(state.cached.savedAt).toLocaleString(document.documentElement.lang || "nl", {
        weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"
      });
      text = fmt(online ? T.banner_online : T.banner_offline, { time: time });
    } else {
      text = T.banner_none;
    }
    banner.className = "alert " + (online ? "alert-success" : "alert-warning");
    $("[data-banner-text]", banner).textContent = text;
    var waiting = myItems().filter(function (i) { return i.status === "pending"; }).length;
    $("[data-banner-waiting]", banner).textContent = waiting ? fmt(T.waiting, { n: waiting }) : "";
  }

  function renderList() {
    var list = $("[data-client-list]");
    list.textContent = "";
    var data = snapshot();
    if (!data) { list.appendChild(el("p", "text-body-secondary", T.no_data)); return; }
    if (!data.clients.length) { list.appendChild(el("p", "text-body-secondary", T.no_clients)); return; }
    data.clients.forEach(function (client) {
      var button = el("button", "list-group-item list-group-item-action");
      button.type = "button";
      button.dataset.clientId = client.id;
      button.appendChild(el("span", "fw-semibold", client.preferred_name));
      var details = [client.code, client.phase_label, client.contact_channel].filter(Boolean).join(" · ");
      button.appendChild(el("div", "small text-body-secondary", details));
      if (client.days_since_reached !== undefined && !data.can.checkins) {
        button.appendChild(el("div", "small", client.days_since_reached === null ? T.never_reached
          : fmt(T.days_since, { n: client.days_since_reached })));
      }
      button.addEventListener("click", function () { openClient(client.id); });
      list.appendChild(button);
    });
  }

  function fact(dl, term, value) {
    if (value === null || value === undefined || value === "") { return; }
    dl.appendChild(el("dt", "col-sm-4", term));
    dl.appendChild(el("dd", "col-sm-8", value));
  }

  function renderClient() {
    var client = state.client;
    var data = snapshot();
    if (!client || !data) { return; }
    $("[data-client-name]").textContent = client.preferred_name;
    var dl = $("[data-client-facts]");
    dl.textContent = "";
    fact(dl, T.code, client.code);
    fact(dl, T.phase, client.phase_label);
    fact(dl, T.channel, [client.contact_channel, client.contact_note].filter(Boolean).join(" — "));
    if (client.languages && client.languages.length) { fact(dl, T.languages, client.languages.join(", ")); }
    if (!data.can.checkins) {
      fact(dl, "", client.days_since_reached === null ? T.never_reached : fmt(T.days_since, { n: client.days_since_reached }));
    }
    $$("[data-needs]").forEach(function (button) { button.hidden = !data.can[button.dataset.needs]; });
    var details = $("[data-client-details]");
    details.textContent = "";
    if (client.reminders.length) {
      var reminders = el("ul", "list-group mb-3");
      client.reminders.forEach(function (r) { reminders.appendChild(el("li", "list-group-item", r.label + " · " + r.due_on)); });
      details.appendChild(reminders);
    }
    if (client.contacts.length) {
      var contacts = el("ul", "list-group mb-3");
      contacts.dataset.testid = "offline-contacts";
      client.contacts.forEach(function (c) {
        var li = el("li", "list-group-item");
        li.appendChild(el("div", "fw-semibold", [c.occurred_on, c.kind_label, c.outcome_label, c.place].filter(Boolean).join(" · ")));
        if (c.next_step) { li.appendChild(el("div", "small", c.next_step)); }
        c.notes.forEach(function (n) { li.appendChild(el("div", "small text-body-secondary", n.level_label + ": " + n.body)); });
        contacts.appendChild(li);
      });
      details.appendChild(contacts);
    }
    if (client.notes.length) {
      var notes = el("ul", "list-group mb-3");
      client.notes.forEach(function (n) { notes.appendChild(el("li", "list-group-item", n.created_on + " · " + n.level_label + ": " + n.body)); });
      details.appendChild(notes);
    }
    if (client.checkins.length) {
      var checkins = el("ul", "list-group mb-3");
      client.checkins.forEach(function (c) {
        checkins.appendChild(el("li", "list-group-item", [c.occurred_on, c.activity_label, c.rating_label, c.worry ? T.worry : ""].filter(Boolean).join(" · ")));
      });
      details.appendChild(checkins);
    }
  }

  function itemLabel(item) {
    var what = item.kind === "contact" ? (item.body.outcome === "attempt" ? T.attempt : T.contact)
      : item.kind === "checkin" ? T.checkin : T.note;
    return what + " · " + item.clientName;
  }

  function renderOutbox() {
    var pending = $("[data-outbox-pending]");
    var refused = $("[data-outbox-refused]");
    pending.textContent = "";
    refused.textContent = "";
    myItems().forEach(function (item) {
      var li = el("li", "list-group-item");
      li.dataset.itemId = item.id;
      li.appendChild(el("div", "fw-semibold", itemLabel(item)));
      if (item.status === "refused") {
        li.appendChild(el("div", "text-danger", item.reason));
        if (item.errors) {
          Object.keys(item.errors).forEach(function (field) {
            li.appendChild(el("div", "small text-danger", item.errors[field].join(" ")));
          });
        }
        var actions = el("div", "d-flex flex-wrap gap-2 mt-2");
        var fix = el("button", "btn btn-sm btn-primary", T.fix_resend);
        fix.type = "button";
        fix.addEventListener("click", function () { openForm(item.kind, item.clientId, item); });
        var drop = el("button", "btn btn-sm btn-outline-danger", T.discard);
        drop.type = "button";
        drop.addEventListener("click", async function () {
          if (!window.confirm(T.confirm_discard)) { return; }
          await store.deleteItem(item.id);
          await refresh();
        });
        actions.appendChild(fix);
        actions.appendChild(drop);
        li.appendChild(actions);
        refused.appendChild(li);
      } else {
        pending.appendChild(li);
      }
    });
    var others = state.items.filter(function (item) { return item.userId !== userId(); }).length;
    var note = $("[data-outbox-others]");
    if (note) { note.remove(); }
    if (others) {
      var p = el("p", "alert alert-info mt-2", fmt(T.other_user, { n: others }));
      p.dataset.outboxOthers = "";
      $("#offline-outbox").appendChild(p);
    }
    var bad = $("[data-outbox-corrupted]");
    if (bad) { bad.remove(); }
    if (state.corrupted) {
      var warn = el("p", "alert alert-warning mt-2", fmt(T.corrupted, { n: state.corrupted }));
      warn.dataset.outboxCorrupted = "";
      warn.dataset.testid = "corrupted";
      $("#offline-outbox").appendChild(warn);
    }
  }

  function render() {
    renderBanner();
    renderList();
    if (state.client) {
      var data = snapshot();
      state.client = data ? data.clients.find(function (c) { return c.id === state.client.id; }) || null : null;
      if (!state.client && state.view !== "list") { show("list"); }
      renderClient();
    }
    renderOutbox();
  }

  async function refresh() {
    await load();
    render();
  }

  function openClient(id) {
    var data = snapshot();
    state.client = data && data.clients.find(function (c) { return c.id === id; });
    if (!state.client) { return; }
    renderClient();
    show("client");
    window.scrollTo(0, 0);
  }

  // --- forms ---------------------------------------------------------------------------

  function pad(n) { return String(n).padStart(2, "0"); }
  function localDate(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function localTime(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  // "2026-12-06" + "14:05" in the tablet's zone, as an ISO moment with its offset: the server
  // keeps the time the person entered, whatever the tablet's clock says now.
  function moment(day, time) {
    var d = new Date(day + "T" + time + ":00");
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return day + "T" + time + ":00" + sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }
  function newKey() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return pad(b.toString(16)); }).join("");
  }

  var FORM_VIEW = { attempt: "contact", contact: "contact", note: "note", checkin: "checkin" };

  function setValue(form, name, value) {
    var fields = $$("[name='" + name + "']", form);
    fields.forEach(function (field) {
      if (field.type === "radio") { field.checked = field.value === String(value); }
      else if (field.type === "checkbox" && name === "domains") { field.checked = (value || []).indexOf(field.value) >= 0; }
      else if (field.type === "checkbox") { field.checked = !!value; }
      else { field.value = value === null || value === undefined ? "" : value; }
    });
  }

  function reachedOnly(form) {
    var attempt = $("[name=outcome]:checked", form).value === "attempt";
    $("[data-reached-only]", form).hidden = attempt;
  }

  function openForm(kind, clientId, item) {
    var data = snapshot();
    var client = data && data.clients.find(function (c) { return c.id === clientId; });
    if (!client) { return; }
    state.client = client;
    var view = FORM_VIEW[kind] || kind;
    var section = $("[data-view='" + view + "']");
    var form = $("form", section);
    form.reset();
    $("[data-form-errors]", section).textContent = "";
    $("[data-form-client]", section).textContent = client.preferred_name;
    form.dataset.formId = item ? item.id : newKey();  // the exactly-once key, made now
    form.dataset.clientId = client.id;
    form.dataset.editing = item ? "1" : "";
    var now = new Date();
    if (view === "contact") {
      var body = item ? item.body : { outcome: kind === "attempt" ? "attempt" : "reached", notes: {} };
      setValue(form, "outcome", body.outcome);
      if (body.kind) { setValue(form, "kind", body.kind); }
      var at = body.occurred_at ? body.occurred_at.slice(0, 16).split("T") : [localDate(now), localTime(now)];
      setValue(form, "date", at[0]);
      setValue(form, "time", at[1]);
      ["place", "next_step", "follow_up_on", "duration_minutes", "others_present"].forEach(function (name) { setValue(form, name, body[name]); });
      setValue(form, "domains", body.domains || []);
      setValue(form, "team_note", (body.notes || {}).team);
      setValue(form, "practical_note", (body.notes || {}).practical);
      reachedOnly(form);
    } else if (view === "note") {
      if (item) { setValue(form, "level", item.body.level); setValue(form, "body", item.body.body); }
    } else if (view === "checkin") {
      var b = item ? item.body : { occurred_on: localDate(now), activity: null, rating: 3 };
      Object.keys(b).forEach(function (name) { if (b[name] !== null && b[name] !== undefined) { setValue(form, name, b[name]); } });
    }
    if (item && item.status === "refused") {
      var errors = $("[data-form-errors]", section);
      errors.appendChild(el("div", "alert alert-danger", item.reason));
    }
    show(view);
    window.scrollTo(0, 0);
  }

  function text(form, name) {
    var field = $("[name='" + name + "']", form);
    var value = field ? field.value.trim() : "";
    return value || null;
  }
  function integer(form, name) {
    var value = text(form, name);
    return value === null ? null : Number(value);
  }

  function contactBody(form) {
    var body = {
      kind: $("[name=kind]", form).value,
      outcome: $("[name=outcome]:checked", form).value,
      occurred_at: moment(text(form, "date"), text(form, "time"))
    };
    if (body.outcome === "reached") {
      ["place", "next_step", "follow_up_on", "others_present"].forEach(function (name) {
        var value = text(form, name);
        if (value !== null) { body[name] = value; }
      });
      var duration = integer(form, "duration_minutes");
      if (duration !== null) { body.duration_minutes = duration; }
      body.domains = $$("[name=domains]:checked", form).map(function (box) { return box.value; });
      var notes = {};
      if (text(form, "team_note")) { notes.team = text(form, "team_note"); }
      if (text(form, "practical_note")) { notes.practical = text(form, "practical_note"); }
      if (Object.keys(notes).length) { body.notes = notes; }
    }
    return body;
  }

  function checkinBody(form) {
    var body = {
      occurred_on: text(form, "occurred_on"),
      activity: ($("[name=activity]:checked", form) || {}).value,
      duration_minutes: integer(form, "duration_minutes"),
      rating: Number(($("[name=rating]:checked", form) || {}).value),
      worry: $("[name=worry]", form).checked
    };
    ["activity_note", "worry_text", "next_meeting_on"].forEach(function (name) {
      var value = text(form, name);
      if (value !== null) { body[name] = value; }
    });
    return body;
  }

  function missing(form, names) {
    return names.filter(function (name) { return !text(form, name); });
  }

  async function submitForm(event) {
    event.preventDefault();
    var form = event.target;
    var section = form.closest("[data-view]");
    var errors = $("[data-form-errors]", section);
    errors.textContent = "";
    var kind = form.dataset.kind;
    var required = kind === "contact" ? ["date", "time"] : kind === "note" ? ["body"] : ["occurred_on", "duration_minutes"];
    var empty = missing(form, required);
    if (empty.length) {
      errors.appendChild(el("div", "alert alert-danger", T.fill_in + " " + empty.map(function (name) {
        var label = $("label[for='" + $("[name='" + name + "']", form).id + "']", form);
        return label ? label.textContent : name;
      }).join(", ")));
      return;
    }
    var clientId = Number(form.dataset.clientId);
    var client = state.client;
    var body = kind === "contact" ? contactBody(form)
      : kind === "note" ? { level: $("[name=level]", form).value, body: text(form, "body") }
      : checkinBody(form);
    var path = kind === "contact" ? "contacts" : kind === "note" ? "notes" : "check-ins";
    var item = {
      id: form.dataset.formId, userId: userId(), kind: kind, clientId: clientId,
      clientName: client.preferred_name, url: "/api/v1/clients/" + clientId + "/" + path,
      body: body, status: "pending", createdAt: Date.now()
    };
    var button = $("button[type=submit]", form);
    button.disabled = true;
    try {
      await store.putItem(item);
    } catch (error) {
      errors.appendChild(el("div", "alert alert-danger", store.isQuotaError(error) ? T.quota : T.storage_failed));
      errors.lastChild.dataset.testid = "storage-error";
      button.disabled = false;
      return;  // the form keeps what was typed
    }
    button.disabled = false;
    form.reset();
    clearMessages();
    message(T.saved_offline, "success", "saved-offline");
    await refresh();
    openClient(clientId);
    if (navigator.onLine) { runSync(); }
  }

  // --- sync ----------------------------------------------------------------------------

  async function runSync(options) {
    var result;
    document.body.dataset.syncState = "running";
    try {
      result = await sync.run(options);
    } catch (error) {
      result = {};
    }
    if (result.session === "gone") { state.session = "gone"; }
    else if (result.offline) { state.session = "offline"; }
    else { state.session = "ok"; }
    await refresh();
    var gone = $("[data-session-gone]");
    if (state.session === "gone" && !gone) {
      var box = el("div", "alert alert-warning");
      box.dataset.sessionGone = "";
      box.appendChild(document.createTextNode(T.session_gone + " "));
      var link = el("a", "alert-link", T.sign_in);
      link.href = document.body.dataset.login + "?next=/offline";
      box.appendChild(link);
      $("#offline-messages").appendChild(box);
    } else if (state.session !== "gone" && gone) {
      gone.remove();
    }
    document.body.dataset.syncState = "idle";
    return result;
  }

  document.addEventListener("gezel-offline-changed", function (event) {
    if (event.detail && event.detail.message) { message(event.detail.message, event.detail.level); }
  });

  async function start() {
    $$("[data-go]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (button.dataset.go === "client" && state.client) { openClient(state.client.id); } else { show("list"); }
      });
    });
    $$("[data-open]").forEach(function (button) {
      button.addEventListener("click", function () { openForm(button.dataset.open, state.client.id, null); });
    });
    $$("form[data-kind]").forEach(function (form) { form.addEventListener("submit", submitForm); });
    $$("[name=outcome]").forEach(function (radio) {
      radio.addEventListener("change", function () { reachedOnly(radio.form); });
    });
    $("[data-sync]").addEventListener("click", function () { runSync({ refresh: "force" }); });
    ["click", "keydown", "input", "touchstart"].forEach(function (name) {
      document.addEventListener(name, touch, { passive: true });
    });
    try {
      await load();
      await enforceLimits();
    } catch (error) {
      message(T.storage_failed, "danger");
    }
    touch();
    show("list");
    render();
    document.body.dataset.ready = "1";
    if (navigator.onLine) { await runSync({ refresh: "force" }); }
    document.body.dataset.synced = "1";
    window.addEventListener("online", function () { runSync(); });
    window.addEventListener("offline", function () { state.session = "offline"; renderBanner(); });
    window.setInterval(function () {
      enforceLimits().then(render);
      var waiting = myItems().some(function (i) { return i.status === "pending"; });
      if (navigator.onLine && waiting) { runSync(); }
    }, 60 * 1000);
  }

  start();
})();

// Offline at the point of care: entries made without a connection are kept on the phone and
// sent when it returns, exactly once (Idempotency-Key) and in order. Loaded by web/base.html.
//
// - Registers the service worker (/sw.js: app shell only, see platform/web/offline.py).
// - Any <form data-offline="care-entry"> is sent with fetch. With no connection (or a network
//   error) the entry goes to IndexedDB: {user, url, fields, idempotency_key, queued_at, label},
//   the form is cleared for the next entry and the header shows "waiting to send (N)".
// - Queued entries are sent one at a time, oldest first, on the "online" event, at page load
//   and every 15 s. Saved (204 + X-WCN-Location, see idempotent_forms.py) = removed. Refused (4xx) = kept in a visible
//   "could not be sent" list until the person dismisses it: never dropped silently. Session
//   expired = "log in again"; server error or no network = stop and retry later.
// - Entries belong to the person who recorded them: on a shared phone they are only sent from
//   that person's session, never under someone else's name.
// No inline script or style anywhere (strict CSP); strings come from #wcn-offline-i18n.
(function () {
  "use strict";

  var DB_NAME = "wcn-offline";
  var STORE = "queue";
  var RETRY_MS = 15000;
  var SEND_TIMEOUT_MS = 20000;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* optional */ });
  }

  var statusBox, queueEl, rejectedEl, me, loginUrl, strings = {};
  var flushing = false, loginNeeded = false, justSaved = false, hadWaiting = false, myWaiting = 0;

  function t(name, values) {
    var text = strings[name] || name;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  // ---- IndexedDB: one store, auto-increment ids keep the recording order ----
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true }); };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
      dbPromise.catch(function () { dbPromise = null; });
    }
    return dbPromise;
  }
  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var transaction = d.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }
  function allEntries() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.id - b.id; });
    });
  }
  function addEntry(entry) { return tx("readwrite", function (s) { return s.add(entry); }); }
  function putEntry(entry) { return tx("readwrite", function (s) { return s.put(entry); }); }
  function removeEntry(id) { return tx("readwrite", function (s) { return s.delete(id); }); }

  // ---- helpers ----
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function localNow() {
    var d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16);
  }
  function csrfToken(form) {
    // The current page's token (a queued entry's own token may be stale after logging in again).
    var input = document.querySelector("input[name=csrfmiddlewaretoken]") ||
      (form && form.querySelector("input[name=csrfmiddlewaretoken]"));
    return input ? input.value : "";
  }
  function entryFrom(form, submitter) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    data.delete("csrfmiddlewaretoken");
    var key = data.get("idempotency_key") || uuid4();
    data.set("idempotency_key", key);
    var heading = document.querySelector("main h1");
    return {
      user: me,
      url: form.action || location.href,
      fields: new URLSearchParams(data).toString(),
      idempotency_key: key,
      queued_at: new Date().toISOString(),
      label: form.getAttribute("data-offline-label") || (heading ? heading.textContent.trim() : document.title),
      state: "waiting"
    };
  }
  function send(entry, token) {
    // Weak Wi-Fi can hang a request for minutes: give up after SEND_TIMEOUT_MS and treat it as
    // offline. If it did reach the server, sending it again is harmless (same idempotency key).
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS) : null;
    return fetch(entry.url, {
      method: "POST",
      body: new URLSearchParams(entry.fields),
      headers: { "X-CSRFToken": token, "Idempotency-Key": entry.idempotency_key },
      credentials: "same-origin",
      redirect: "manual", // a saved entry answers 204 (idempotent_forms.py); a redirect means "log in"
      cache: "no-store",
      signal: controller ? controller.signal : undefined
    }).finally(function () { clearTimeout(timer); });
  }
  // "sent" | "login" | "retry" | "rejected"
  function classify(response) {
    // Saved or replayed: 204 with the page it would have gone to (X-WCN-Location).
    if (response.ok && response.headers.get("X-WCN-Location")) return Promise.resolve("sent");
    // A redirect the form never makes: the session ended (or a second factor is needed).
    if (response.type === "opaqueredirect") return Promise.resolve("login");
    if (response.status === 403) {
      return response.clone().text().then(function (body) { return /CSRF/.test(body) ? "login" : "rejected"; });
    }
    if (response.status === 408 || response.status === 409 || response.status === 429 || response.status >= 500) {
      return Promise.resolve("retry");
    }
    return Promise.resolve("rejected"); // 4xx, or the form shown again with errors
  }
  function reasonFrom(response) {
    return response.text().then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var parts = Array.prototype.map.call(
        doc.querySelectorAll("main .errorlist li, main .message.error, main [role=alert]"),
        function (el) { return el.textContent.trim(); }
      ).filter(Boolean);
      return parts.length ? parts.join(" ") : t("rejectedReason") + " (" + response.status + ")";
    }).catch(function () { return t("rejectedReason"); });
  }

  // ---- the status line and the "could not be sent" list ----
  function render() {
    if (!queueEl) return Promise.resolve();
    return allEntries().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state === "waiting" && (!me || e.user === me); });
      var others = me ? entries.filter(function (e) { return e.state === "waiting" && e.user !== me; }) : [];
      var rejected = me ? entries.filter(function (e) { return e.state === "rejected" && e.user === me; }) : [];
      queueEl.textContent = "";
      queueEl.setAttribute("data-count", String(waiting.length));
      myWaiting = me ? waiting.length : 0;
      var lines = [];
      if (waiting.length && loginNeeded) {
        lines.push(t("login", { n: waiting.length }));
      } else if (waiting.length) {
        lines.push(t(justSaved ? "saved" : (flushing ? "sending" : "waiting"), { n: waiting.length }));
      } else if (hadWaiting) {
        lines.push(t("sent"));
      }
      if (others.length) lines.push(t("otherUser", { n: others.length }));
      lines.forEach(function (line, i) {
        if (i) queueEl.appendChild(document.createElement("br"));
        queueEl.appendChild(document.createTextNode(line));
      });
      if (waiting.length && loginNeeded && loginUrl) {
        var a = document.createElement("a");
        a.href = loginUrl + "?next=" + encodeURIComponent(location.pathname);
        a.textContent = t("loginLink");
        queueEl.appendChild(document.createTextNode(" "));
        queueEl.appendChild(a);
      }
      hadWaiting = hadWaiting || waiting.length > 0;
      queueEl.hidden = lines.length === 0;
      renderRejected(rejected);
    }).catch(function () { /* no storage: nothing queued */ });
  }
  function renderRejected(rejected) {
    rejectedEl.textContent = "";
    rejectedEl.hidden = rejected.length === 0;
    if (!rejected.length) return;
    var h = document.createElement("h2");
    h.textContent = t("rejectedTitle");
    var list = document.createElement("ul");
    rejected.forEach(function (entry) {
      var li = document.createElement("li");
      var text = document.createElement("p");
      text.textContent = t("rejectedItem", {
        label: entry.label, time: new Date(entry.queued_at).toLocaleString(), reason: entry.reason || t("rejectedReason")
      });
      var details = document.createElement("p");
      details.className = "offline-fields";
      details.textContent = Array.from(new URLSearchParams(entry.fields)).filter(function (kv) {
        return kv[0] !== "idempotency_key" && kv[1];
      }).map(function (kv) { return kv[0] + ": " + kv[1]; }).join(" · ");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary";
      button.textContent = t("dismiss");
      button.addEventListener("click", function () { removeEntry(entry.id).then(render); });
      li.appendChild(text); li.appendChild(details); li.appendChild(button);
      list.appendChild(li);
    });
    rejectedEl.appendChild(h);
    rejectedEl.appendChild(list);
  }

  // ---- sending the queue: one at a time, oldest first ----
  function flush() {
    if (flushing || !me || !navigator.onLine) return Promise.resolve();
    var token = csrfToken();
    if (!token) return Promise.resolve();
    flushing = true;
    return allEntries().then(function (entries) {
      var mine = entries.filter(function (e) { return e.state === "waiting" && e.user === me; });
      if (mine.length) { justSaved = false; render(); }
      var next = function (i) {
        if (i >= mine.length) return null;
        var entry = mine[i];
        return send(entry, token).then(function (response) {
          return classify(response).then(function (outcome) {
            if (outcome === "sent") { loginNeeded = false; return removeEntry(entry.id).then(function () { return next(i + 1); }); }
            if (outcome === "login") { loginNeeded = true; return null; }
            if (outcome === "retry") return null;
            return reasonFrom(response).then(function (reason) {
              entry.state = "rejected"; entry.reason = reason;
              return putEntry(entry).then(function () { return next(i + 1); });
            });
          });
        }, function () { return null; }); // network error: try again later
      };
      return next(0);
    }).catch(function () { /* storage unavailable */ }).then(function () {
      flushing = false;
      return render();
    });
  }

  // ---- the form ----
  function queueFromForm(form, entry) {
    return addEntry(entry).then(function () {
      form.reset();
      // A fresh key and time for the next entry: each intended entry has its own key.
      var keyInput = form.querySelector("input[name=idempotency_key]");
      if (keyInput) { keyInput.value = uuid4(); keyInput.defaultValue = keyInput.value; }
      var when = form.querySelector("input[type=datetime-local][name=occurred_at]");
      if (when) when.value = localNow();
      justSaved = true;
      return render().then(function () {
        var first = form.querySelector("select, textarea, input:not([type=hidden])");
        if (first) first.focus();
      });
    }, function () {
      queueEl.hidden = false;
      queueEl.textContent = t("noStorage");
    });
  }
  function nativeSubmit(form) {
    HTMLFormElement.prototype.submit.call(form); // no submit event: not intercepted again
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute("data-offline") !== "care-entry" || !me) return;
    event.preventDefault();
    var entry = entryFrom(form, event.submitter);
    var buttons = form.querySelectorAll("button, input[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    var done = function () { buttons.forEach(function (b) { b.disabled = false; }); };
    if (!navigator.onLine) { queueFromForm(form, entry).then(done); return; }
    send(entry, csrfToken(form)).then(function (response) {
      return classify(response).then(function (outcome) {
        if (outcome === "sent") { location.assign(response.headers.get("X-WCN-Location")); return; }
        if (outcome === "login") { loginNeeded = true; return queueFromForm(form, entry).then(done); }
        // Anything else: post the form the ordinary way, so the page shows the server's answer
        // (field errors...). Safe to repeat: the same idempotency key is applied at most once.
        done();
        nativeSubmit(form);
      });
    }, function () { return queueFromForm(form, entry).then(done); });
  });

  // Logging out with entries still waiting: they would sit on this phone until the same person
  // logs in here again (and miss the handover), so ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("logout") || !myWaiting) return;
    if (!window.confirm(t("logoutWaiting", { n: myWaiting }))) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    statusBox = document.getElementById("offline-status");
    queueEl = document.getElementById("offline-queue");
    rejectedEl = document.getElementById("offline-rejected");
    if (!statusBox || !queueEl || !rejectedEl) return;
    me = statusBox.getAttribute("data-user") || "";
    loginUrl = statusBox.getAttribute("data-login-url");
    try { strings = JSON.parse(document.getElementById("wcn-offline-i18n").textContent); } catch (e) { strings = {}; }
    window.addEventListener("online", flush);
    window.addEventListener("offline", render);
    setInterval(flush, RETRY_MS);
    render().then(flush);
  });

  // For tests and debugging: send the queue now; returns a promise.
  window.wcnOffline = { flush: flush, entries: allEntries, send: send };
})();

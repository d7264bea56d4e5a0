// Showmatch: the Plex sign-in and import pages update themselves. Without this script each
// page has a link that does the same by hand.
(function () {
  "use strict";

  function poll(url, every, onAnswer) {
    var stopped = false;
    function tick() {
      if (stopped) { return; }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) { if (answer && onAnswer(answer) === false) { stopped = true; } })
        .catch(function () { /* try again at the next tick */ })
        .then(function () { if (!stopped) { setTimeout(tick, every); } });
    }
    setTimeout(tick, every);
  }

  var signin = document.querySelector("[data-pin-poll]");
  if (signin) {
    var pin = signin.getAttribute("data-pin-poll");
    var status = document.getElementById("signin-status");
    poll("/api/plex/auth/pin/" + encodeURIComponent(pin), 2000, function (answer) {
      if (answer.status === "waiting") { return true; }
      if (status) { status.lastChild.textContent = answer.status === "linked" ? "Signed in. One moment…" : "Expired."; }
      // The page itself says what comes next (the server list, or a new sign-in).
      window.location.assign("/settings/plex/signin/" + encodeURIComponent(pin));
      return false;
    });
  }

  var job = document.querySelector("[data-import-job]");
  if (job && job.getAttribute("data-status") === "running") {
    var id = job.getAttribute("data-import-job");
    var bar = document.getElementById("import-progress");
    var set = function (elementID, text) {
      var element = document.getElementById(elementID);
      if (element) { element.textContent = String(text); }
    };
    var phases = { starting: "Counting the shows and the history…", library: "Mapping the library's shows…",
                   history: "Applying the watch history…" };
    poll("/api/plex/import/" + encodeURIComponent(id), 1000, function (answer) {
      if (answer.status !== "running") { window.location.reload(); return false; }
      var percent = answer.total > 0 ? Math.min(99, Math.floor(answer.done * 100 / answer.total)) : 0;
      if (bar) { bar.max = Math.max(1, answer.total); bar.value = answer.done; bar.textContent = percent + "%"; }
      set("import-percent", percent + "%");
      set("import-done", answer.done);
      set("import-total", answer.total);
      if (phases[answer.phase]) { set("import-phase", phases[answer.phase]); }
      set("count-shows-added", answer.shows_added);
      set("count-shows-mapped", answer.shows_mapped);
      set("count-conflicts", answer.conflicts);
      set("count-shows-unchanged", answer.shows_unchanged + answer.shows_ignored);
      set("count-watches-applied", answer.watches_applied);
      set("count-watches-held", answer.watches_held);
      set("count-watches-skipped", answer.watches_skipped);
      return true;
    });
  }
})();

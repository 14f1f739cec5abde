/* SafeReply pages: small progressive enhancements. Everything works without them. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    // On a narrow screen, fold the inbox filters away unless one is in use.
    var filters = document.querySelector("details.filters");
    if (filters && window.matchMedia("(max-width: 51.99rem)").matches &&
        !filters.querySelector(".options a.active, .quick a.active")) {
      filters.open = false;
    }

    // "Copy reply": copy a read-only textarea's text to the clipboard.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        var done = button.parentNode.querySelector(".copy-done");
        if (!source) return;
        var report = function (text) { if (done) done.textContent = text; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(source.value).then(
            function () { report("Copied."); },
            function () { source.select(); report("Press Ctrl+C (or Cmd+C) to copy."); }
          );
        } else {
          source.focus();
          source.select();
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          report(ok ? "Copied." : "Press Ctrl+C (or Cmd+C) to copy.");
        }
      });
    });

    // Times the server wrote in UTC ("10:05 UTC"): shown in this computer's time zone, which at
    // the front desk is the practice's.
    document.querySelectorAll("time[data-local-time]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      var hh = String(when.getHours()).padStart(2, "0");
      var mm = String(when.getMinutes()).padStart(2, "0");
      el.textContent = hh + ":" + mm + " local time";
    });

    // Cooling-off countdowns: seconds left when the page was made, counted down here.
    var counters = document.querySelectorAll("[data-countdown]");
    if (counters.length) {
      var started = Date.now();
      var tick = function () {
        counters.forEach(function (el) {
          var left = Number(el.getAttribute("data-countdown")) - (Date.now() - started) / 1000;
          if (left <= 0) {
            el.textContent = "now: reload the page";
          } else if (left < 90) {
            el.textContent = "in " + Math.ceil(left) + " s";
          } else if (left < 5400) {
            el.textContent = "in " + Math.ceil(left / 60) + " min";
          } else {
            el.textContent = "in " + (left / 3600).toFixed(1) + " h";
          }
        });
      };
      tick();
      window.setInterval(tick, 1000);
    }
  });
})();

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

    // A table wider than the screen scrolls inside its wrapper: make that wrapper a named region
    // that takes keyboard focus, so it can be scrolled without a mouse (WCAG 2.1.1).
    var markScrollers = function () {
      document.querySelectorAll(".table-wrap").forEach(function (wrap) {
        var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
        if (scrolls && !wrap.hasAttribute("tabindex")) {
          var table = wrap.querySelector("table");
          var caption = table && table.querySelector("caption");
          var section = wrap.closest("section");
          var heading = section && section.querySelector("h2, h3");
          var name = (caption && caption.textContent.trim()) || (heading && heading.textContent.trim()) || "Table";
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", name + " (scrolls sideways)");
        } else if (!scrolls && wrap.getAttribute("role") === "region") {
          wrap.removeAttribute("tabindex");
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-label");
        }
      });
    };
    markScrollers();
    window.addEventListener("resize", markScrollers);

    // Inbox list and detail (wide screens): "Show beside the list" swaps in the selected post
    // without reloading the list; without script the link loads the same page with it selected.
    document.querySelectorAll("a[data-select]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!window.fetch || !window.DOMParser || event.ctrlKey || event.metaKey || event.shiftKey) return;
        var detail = document.getElementById("post-detail");
        if (!detail) return;
        event.preventDefault();
        fetch(link.href, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        }).then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("post-detail");
          if (!fresh) throw new Error("no detail");
          detail.replaceWith(fresh);
          document.querySelectorAll("a[data-select]").forEach(function (other) {
            var item = other.closest(".post-item");
            var on = other === link;
            if (item) item.classList.toggle("is-selected", on);
            if (on) other.setAttribute("aria-current", "true"); else other.removeAttribute("aria-current");
            other.firstChild.textContent = on ? "Shown beside the list" : "Show beside the list";
          });
          window.history.replaceState(null, "", link.href);
          fresh.focus();
        }).catch(function () { window.location.href = link.href; });
      });
    });

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

    // Times the server wrote in UTC because the practice has no time zone setting ("10:05 UTC"):
    // shown in this computer's time zone, which at the front desk is the practice's. With the
    // setting, the server already writes the practice's local time and no element is marked.
    document.querySelectorAll("time[data-local-time]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      var pad = function (n) { return String(n).padStart(2, "0"); };
      var text = pad(when.getHours()) + ":" + pad(when.getMinutes());
      if (/\d{4}-\d{2}-\d{2}/.test(el.textContent)) {
        text = when.getFullYear() + "-" + pad(when.getMonth() + 1) + "-" + pad(when.getDate()) + " " + text;
      }
      el.textContent = text + " local time";
    });

    // Cooling-off countdowns: seconds left when the page was made, counted down here. The
    // visible text changes every second; a screen reader hears it through one polite status
    // region, at sensible intervals: every 10 minutes, every minute in the last 10, every 10
    // seconds in the last minute and every second in the last 10.
    var counters = document.querySelectorAll("[data-countdown]");
    var live = document.querySelector("[data-countdown-live]");
    if (counters.length) {
      var started = Date.now();
      // The server writes whole seconds, rounded down: one more, so "reload now" is never early.
      var total = Number(counters[0].getAttribute("data-countdown")) + 1;
      var lastStep = null;
      var step = function (s) {
        if (s <= 0) return 0;
        if (s <= 10) return s;
        if (s <= 60) return Math.ceil(s / 10) * 10;
        if (s <= 600) return Math.ceil(s / 60) * 60;
        return Math.ceil(s / 600) * 600;
      };
      var spoken = function (s) {
        if (s <= 0) return "The cooling-off hold has ended: reload the page to post the reply.";
        if (s <= 10) return "Cooling-off hold: " + s + (s === 1 ? " second" : " seconds") + " left.";
        if (s < 120) return "Cooling-off hold: " + s + " seconds left.";
        return "Cooling-off hold: " + Math.round(s / 60) + " minutes left.";
      };
      var tick = function () {
        var left = total - (Date.now() - started) / 1000;
        counters.forEach(function (el) {
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
        var now = step(Math.max(0, Math.ceil(left)));
        if (live && lastStep !== null && now !== lastStep) live.textContent = spoken(now);
        lastStep = now;
        if (left <= 0) window.clearInterval(timer);
      };
      var timer = window.setInterval(tick, 250);
      tick();
    }
  });
})();

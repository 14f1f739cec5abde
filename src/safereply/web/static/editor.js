/* The reply editor: lint as you type, underline findings in place, fix them in one click.
 *
 * The textarea stays a plain form field; a backdrop behind it holds the same text with <mark>
 * elements under each finding. Replies are checked through POST /posts/{id}/check (the
 * `safereply check` JSON, each finding with its `fix`: the whole reply after the fix, the changed
 * part and a label), debounced, and only the newest answer is shown. A fix replaces the whole
 * text, so the sentence around it stays grammatical. Offsets in that JSON count Unicode code
 * points; JavaScript strings count UTF-16 units, so they are converted.
 */
(function () {
  "use strict";
  var DEBOUNCE_MS = 350;
  var SEVERITY = { error: 3, warning: 2, info: 1 };
  var VERDICT = { pass: "Safe to send", warn: "Needs a look", block: "Blocked" };

  function init() {
    var configEl = document.getElementById("editor-config");
    var textarea = document.getElementById("reply");
    if (!configEl || !textarea || textarea.readOnly) return;
    var config = JSON.parse(configEl.textContent);
    var csrfInput = document.querySelector('#editor-form input[name="csrf_token"]');
    var csrf = csrfInput ? csrfInput.value : "";
    var marks = document.getElementById("reply-marks");
    var backdrop = marks.parentNode;
    var list = document.getElementById("findings");
    var status = document.getElementById("lint-status");
    var strangerReply = document.getElementById("stranger-reply");
    var strangerList = document.getElementById("stranger-list");
    var rewrite = document.getElementById("rewrite");
    var findings = [];
    var checkedText = null;
    var timer = null;
    var sequence = 0;
    var controller = null;

    function el(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    }

    // Code point offset -> UTF-16 offset, for one text.
    function unitOffsets(text) {
      var out = [0];
      var units = 0;
      for (var ch of text) {
        units += ch.length;
        out.push(units);
      }
      return out;
    }

    function grow() {
      textarea.style.height = "auto";
      textarea.style.height = textarea.scrollHeight + 4 + "px";
    }

    function renderMarks(text, items) {
      marks.textContent = "";
      var cuts = [0, text.length];
      items.forEach(function (f) { cuts.push(f.start, f.end); });
      cuts = cuts.filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
      for (var i = 0; i + 1 < cuts.length; i++) {
        var a = cuts[i], b = cuts[i + 1];
        var piece = text.slice(a, b);
        var worst = null;
        items.forEach(function (f) {
          if (f.start <= a && f.end >= b && f.start < f.end) {
            if (!worst || SEVERITY[f.severity] > SEVERITY[worst]) worst = f.severity;
          }
        });
        if (worst) {
          var mark = el("mark", "sev-" + worst, piece);
          mark.dataset.start = a;
          marks.appendChild(mark);
        } else {
          marks.appendChild(document.createTextNode(piece));
        }
      }
      // A trailing newline needs something after it to take up its line.
      marks.appendChild(document.createTextNode("\n "));
    }

    function renderFindings(items) {
      list.textContent = "";
      items.forEach(function (f, i) {
        var li = el("li", "finding sev-" + f.severity);
        li.id = "finding-" + i;
        var head = el("p", "finding-head");
        head.appendChild(el("span", "badge b-sev-" + f.severity, f.severity === "error" ? "Must fix" : "Check"));
        head.appendChild(document.createTextNode(" "));
        head.appendChild(el("strong", "", config.categories[f.category] || f.category));
        head.appendChild(document.createTextNode(": \u201c" + f.text + "\u201d"));
        li.appendChild(head);
        li.appendChild(el("p", "finding-msg", f.message));
        var reason = config.reasons[f.code];
        if (reason) {
          var why = el("p", "finding-why");
          why.appendChild(el("span", "why-label", "Why:"));
          why.appendChild(document.createTextNode(" " + reason.rationale));
          li.appendChild(why);
        }
        var actions = el("p", "finding-fix");
        // Each button names its finding after its visible words (label in name), so a list of
        // "Show in reply" buttons is told apart by a screen reader and by voice control.
        var about = (f.severity === "error" ? "must fix" : "check") + ", " +
          (config.categories[f.category] || f.category) + ": \u201c" + f.text + "\u201d";
        var show = el("button", "small", "Show in reply");
        show.type = "button";
        show.appendChild(el("span", "sr-only", " (" + about + ")"));
        show.addEventListener("click", function () { select(f); });
        actions.appendChild(show);
        if (f.fix) {
          var fix = el("button", "small", f.fix.label);
          fix.appendChild(el("span", "sr-only", " (" + about + ")"));
          fix.type = "button";
          fix.dataset.fix = String(i);
          fix.addEventListener("click", function () { applyFix(i); });
          actions.appendChild(fix);
        }
        li.appendChild(actions);
        list.appendChild(li);
      });
    }

    function renderStatus(verdict, count, note) {
      status.textContent = "";
      if (verdict) {
        status.appendChild(el("span", "badge b-verdict-" + verdict, VERDICT[verdict] || verdict));
        status.appendChild(document.createTextNode(" "));
      }
      var text = note;
      if (text === undefined) {
        text = count === 0 ? "No findings." : count + (count === 1 ? " finding." : " findings.");
      }
      status.appendChild(document.createTextNode(text));
    }

    function renderStranger(text, items) {
      strangerReply.textContent = text;
      strangerList.textContent = "";
      var seen = [];
      items.forEach(function (f) {
        var line = config.learns[f.category];
        if (line && seen.indexOf(line) < 0) seen.push(line);
      });
      if (!text.trim()) {
        strangerList.appendChild(el("li", "", "Nothing yet: write a reply."));
        return;
      }
      if (!seen.length) {
        strangerList.appendChild(el("li", "learns-ok", "Nothing about them: only that the practice listens and how to reach it."));
      }
      seen.forEach(function (line) { strangerList.appendChild(el("li", "learns-bad", line)); });
    }

    function select(f) {
      textarea.focus();
      textarea.setSelectionRange(f.start, f.end);
    }

    function applyFix(i) {
      var f = findings[i];
      if (!f || !f.fix || textarea.value !== checkedText) return;
      // The server applied the fix to the whole reply (see quick_fix): take its text as it is.
      var units = unitOffsets(f.fix.reply);
      textarea.value = f.fix.reply;
      grow();
      textarea.focus();
      textarea.setSelectionRange(
        units[Math.min(f.fix.start, units.length - 1)],
        units[Math.min(f.fix.end, units.length - 1)]
      );
      check(true);
    }

    function send(text, mine) {
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      return fetch(config.checkUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ reply: text }),
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (mine !== sequence) return null;
        if (response.status === 401) {
          renderStatus(null, 0, "You were signed out: copy your text, then reload the page to sign in.");
          return null;
        }
        if (!response.ok) {
          renderStatus(null, 0, "Could not check the reply just now; it is checked again when you save.");
          return null;
        }
        return response.json();
      });
    }

    function check(now) {
      window.clearTimeout(timer);
      var run = function () {
        var text = textarea.value;
        var mine = ++sequence;
        if (!text.trim()) {
          findings = [];
          checkedText = text;
          renderMarks(text, []);
          renderFindings([]);
          renderStatus(null, 0, "Write a reply; it is checked as you type.");
          renderStranger(text, []);
          return;
        }
        renderStatus(null, 0, "Checking\u2026");
        send(text, mine).then(function (report) {
          if (!report || mine !== sequence || textarea.value !== text) return;
          var units = unitOffsets(text);
          findings = report.findings.map(function (f) {
            var copy = Object.assign({}, f);
            copy.start = units[Math.min(f.start, units.length - 1)];
            copy.end = units[Math.min(f.end, units.length - 1)];
            return copy;
          }).sort(function (a, b) {
            // Most severe first ("Must fix" before "Check"), in reading order within.
            return (SEVERITY[b.severity] || 0) - (SEVERITY[a.severity] || 0) || a.start - b.start;
          });
          checkedText = text;
          renderMarks(text, findings);
          renderFindings(findings);
          if (report.help_missing) {
            renderStatus("block", findings.length, "Cannot be sent: a reply to this post must tell the poster to " +
              (report.help_missing === "988" ? "call or text 988." : "call " + report.help_missing + "."));
          } else {
            renderStatus(report.verdict, findings.length);
          }
          renderStranger(text, findings);
        }).catch(function (error) {
          if (error && error.name === "AbortError") return;
          renderStatus(null, 0, "Could not reach the server to check the reply; your text is safe here.");
        });
      };
      if (now) run(); else timer = window.setTimeout(run, DEBOUNCE_MS);
    }

    textarea.addEventListener("input", function () {
      // Old underlines no longer line up with the text: clear them until the new answer.
      findings = [];
      renderMarks(textarea.value, []);
      strangerReply.textContent = textarea.value;
      grow();
      check(false);
    });
    textarea.addEventListener("scroll", function () { backdrop.scrollTop = textarea.scrollTop; });

    // The server-rendered fix buttons belong to the saved version; the live check replaces them.
    var useSuggestion = document.querySelector("[data-use-suggestion]");
    if (useSuggestion) {
      useSuggestion.addEventListener("click", function () {
        var text = document.getElementById("suggestion-text");
        if (!text) return;
        textarea.value = text.textContent;
        grow();
        textarea.focus();
        check(true);
      });
    }

    if (rewrite) {
      rewrite.addEventListener("click", function () {
        var text = textarea.value;
        if (!text.trim()) return;
        renderStatus(null, 0, "Rewriting\u2026");
        fetch(config.fixUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ reply: text })
        }).then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        }).then(function (result) {
          if (!result.ok) {
            renderStatus(null, 0, (result.body.error && result.body.error.message) || "Could not rewrite the reply.");
            return;
          }
          if (textarea.value !== text) return;
          textarea.value = result.body.reply;
          grow();
          textarea.focus();
          check(true);
        }).catch(function () {
          renderStatus(null, 0, "Could not reach the server to rewrite the reply.");
        });
      });
    }

    grow();
    check(true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

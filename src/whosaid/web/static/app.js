// whosaid web UI: the few behaviours a server-rendered page cannot do alone.
// No inline script anywhere (the CSP forbids it); nothing here writes HTML.
"use strict";
(function () {
  // 1. Clicking an attribution (in the list or the text) marks all of its spans.
  function mark(index) {
    document.querySelectorAll(".article .active, .wsw .active").forEach(function (el) {
      el.classList.remove("active");
    });
    if (index === null) { return; }
    document.querySelectorAll(".article [data-atts]").forEach(function (el) {
      if (el.dataset.atts.split(" ").indexOf(index) >= 0) { el.classList.add("active"); }
    });
    var item = document.getElementById("att-" + index);
    if (item) { item.classList.add("active"); }
  }
  document.querySelectorAll(".wsw li[data-att]").forEach(function (li) {
    li.addEventListener("click", function (ev) {
      if (ev.target.closest("a")) { return; }
      mark(li.dataset.att);
      var first = document.querySelector(".article .active");
      if (first) { first.scrollIntoView({ block: "center", behavior: "smooth" }); }
    });
    li.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { mark(li.dataset.att); } });
  });
  var article = document.getElementById("article");
  if (article) {
    article.addEventListener("click", function (ev) {
      var span = ev.target.closest("[data-atts]");
      if (span && span.dataset.atts && !window.getSelection().toString()) {
        mark(span.dataset.atts.split(" ")[0]);
      }
    });
  }

  // 2. The API token, typed once per tab, fills every write form.
  var fields = document.querySelectorAll("input.token-field");
  var saved = window.sessionStorage.getItem("whosaid-token") || "";
  fields.forEach(function (f) {
    if (saved && !f.value) { f.value = saved; }
    f.addEventListener("change", function () { window.sessionStorage.setItem("whosaid-token", f.value); });
  });

  // 3. Corrections: text selection -> character offsets into the document text.
  // The server counts code points (Python str); the DOM counts UTF-16 units, so
  // an emoji before the selection is one character there and two here.
  function codePoints(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xDC00 && c <= 0xDFFF && i > 0) {
        var p = s.charCodeAt(i - 1);
        if (p >= 0xD800 && p <= 0xDBFF) { continue; }  // second half of a pair
      }
      n++;
    }
    return n;
  }
  function offsetOf(node, offset) {
    var el = node.nodeType === 3 ? node.parentElement : node;
    var seg = el && el.closest("[data-start]");
    if (!seg || !article || !article.contains(seg)) { return null; }
    var within = 0;
    if (node.nodeType === 3) {
      // text before the selection point inside this segment, in code points
      var range = document.createRange();
      range.setStart(seg, 0);
      range.setEnd(node, offset);
      within = codePoints(range.toString());
    }
    return parseInt(seg.dataset.start, 10) + within;
  }
  document.querySelectorAll("button[data-fill]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
      var r = sel.getRangeAt(0);
      var a = offsetOf(r.startContainer, r.startOffset);
      var b = offsetOf(r.endContainer, r.endOffset);
      if (a === null || b === null || b <= a) { return; }
      var input = document.getElementById(btn.dataset.fill);
      var span = a + "-" + b;
      input.value = btn.dataset.append && input.value ? input.value + ";" + span : span;
    });
  });
  var target = document.getElementById("c-target");
  if (target) {
    target.addEventListener("change", function () {
      var opt = target.options[target.selectedIndex];
      document.getElementById("c-cue").value = opt.value;
      document.getElementById("c-source").value = opt.dataset.source || "";
      document.getElementById("c-content").value = opt.dataset.content || "";
      if (!opt.value) { document.getElementById("c-action").value = "add"; }
    });
  }
})();

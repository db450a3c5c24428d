// Progressive enhancement only: every rule is enforced on the server.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so keyboard and screen-reader users hear what to fix.
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
});

// Province pickers: a search box that hides the provinces not matching what is typed (the
// picker works without it; the "every province of the region" boxes are read on the server).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-province-picker]").forEach(function (picker, n) {
    var wrap = document.createElement("div");
    wrap.className = "field province-search";
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("p");
    input.type = "search";
    input.id = "province-search-" + n;
    input.autocomplete = "off";
    label.htmlFor = input.id;
    label.textContent = picker.dataset.searchLabel;
    status.className = "hint";
    status.setAttribute("aria-live", "polite");
    wrap.append(label, input, status);
    picker.before(wrap);
    input.addEventListener("input", function () {
      var typed = input.value.trim().toLowerCase();
      var shown = 0;
      picker.querySelectorAll(".province-region").forEach(function (region) {
        var any = false;
        region.querySelectorAll("[data-province]").forEach(function (choice) {
          var match = !typed || choice.dataset.province.toLowerCase().indexOf(typed) !== -1;
          choice.hidden = !match;
          if (match) { any = true; shown += 1; }
        });
        region.hidden = !any;
      });
      status.textContent = shown ? "" : picker.dataset.noneLabel;
    });
    // Enter in the search box filters; it does not send the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  });
});

// A call's criteria weights: show their running total as they are typed (the server checks
// that they add up to 100). The sentence comes from the page, in its language.
document.addEventListener("DOMContentLoaded", function () {
  var out = document.getElementById("weights-total");
  if (!out || !out.dataset.totalTemplate) { return; }
  var boxes = document.querySelectorAll("input.weight");
  function update() {
    var total = 0;
    boxes.forEach(function (box) { var n = parseInt(box.value, 10); if (!isNaN(n)) { total += n; } });
    out.textContent = out.dataset.totalTemplate.replace("__TOTAL__", total);
  }
  boxes.forEach(function (box) { box.addEventListener("input", update); });
});

// A budget ballot's bar: as boxes are ticked, show what the chosen projects cost against the
// envelope (the server checks the same sum and refuses a ballot over it).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-envelope]").forEach(function (form) {
    var envelope = parseFloat(form.dataset.envelope);
    var bar = form.querySelector(".budget-bar");
    var meter = form.querySelector("meter");
    var total = form.querySelector("[data-total]");
    var left = form.querySelector("[data-left]");
    var money = function (n) {
      return n.toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "th-TH",
        { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    };
    var update = function () {
      var sum = 0;
      form.querySelectorAll("input[data-cost]:checked").forEach(function (box) {
        sum += parseFloat(box.dataset.cost);
      });
      meter.value = sum;
      total.textContent = bar.dataset.totalText.replace("{total}", money(sum));
      left.textContent = sum > envelope
        ? bar.dataset.overText.replace("{n}", money(sum - envelope))
        : bar.dataset.leftText.replace("{n}", money(envelope - sum));
      bar.classList.toggle("over", sum > envelope);
    };
    form.addEventListener("change", update);
  });
});

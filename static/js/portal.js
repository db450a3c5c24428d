// Progressive enhancement only: every rule is enforced on the server.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so keyboard and screen-reader users hear what to fix.
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
});

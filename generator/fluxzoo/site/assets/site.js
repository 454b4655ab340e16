// Gallery filters and search. Without this script every card stays visible.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  var count = document.getElementById("count");
  var keys = ["category", "kind", "tag", "difficulty", "hardware"];

  function matches(card, wanted, words) {
    for (var i = 0; i < keys.length; i++) {
      var want = wanted[keys[i]];
      var have = (card.getAttribute("data-" + keys[i]) || "").split("\n");
      if (want && have.indexOf(want) < 0) { return false; }
    }
    var text = card.getAttribute("data-text") || "";
    return words.every(function (w) { return text.indexOf(w) >= 0; });
  }

  function update() {
    var wanted = {};
    keys.forEach(function (k) { wanted[k] = form.elements[k] ? form.elements[k].value : ""; });
    var words = form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card, wanted, words);
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown === cards.length
      ? cards.length + " tutorials"
      : shown + " of " + cards.length + " tutorials";
  }

  form.hidden = false;
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  update();
})();

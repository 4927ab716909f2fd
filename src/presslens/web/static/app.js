// presslens web app: the only script. On the article page: layer toggles, and a click on an
// entity mention opens its entity page (links come from a data attribute the server wrote).
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  if (!text) {
    return;
  }
  var boxes = document.querySelectorAll("input[data-toggle-layer]");
  Array.prototype.forEach.call(boxes, function (box) {
    var layer = box.getAttribute("data-toggle-layer");
    var apply = function () {
      var marks = text.querySelectorAll("mark.hl");
      Array.prototype.forEach.call(marks, function (mark) {
        if (mark.getAttribute("data-layer") === layer) {
          mark.classList.toggle("off", !box.checked);
        }
      });
      document.body.setAttribute("data-shown-" + layer.replace(/[^a-z0-9_-]/gi, "_"), box.checked ? "1" : "0");
    };
    box.addEventListener("change", apply);
    apply();
  });
  // The prefix the app is served under (--root-path): entity links start with it.
  var root = text.getAttribute("data-root") || "";
  var links = {};
  try {
    links = JSON.parse(text.getAttribute("data-entity-links") || "{}");
  } catch (e) {
    links = {};
  }
  text.addEventListener("click", function (event) {
    var mark = event.target.closest ? event.target.closest('mark[data-layer="entities"]') : null;
    if (!mark || mark.classList.contains("off")) {
      return;
    }
    var href = links[mark.getAttribute("data-index")];
    if (typeof href === "string" && href.indexOf(root + "/entity?name=") === 0) {
      window.location.assign(href);
    }
  });
})();

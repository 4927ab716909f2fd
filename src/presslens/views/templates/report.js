(function () {
  "use strict";
  // Each layer checkbox adds or removes "hide-<layer>" on <body>; CSS does the rest.
  var boxes = document.querySelectorAll("input[data-toggle-layer]");
  Array.prototype.forEach.call(boxes, function (box) {
    var apply = function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-toggle-layer"), !box.checked);
    };
    box.addEventListener("change", apply);
    apply();
  });
})();

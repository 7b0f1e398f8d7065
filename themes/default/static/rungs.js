/* rungs default theme script: progressive enhancement only; every page works without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
})();

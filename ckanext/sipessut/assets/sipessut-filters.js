/* The phone's filter drawer ("Saring Hasil"). CKAN binds its open and close buttons once,
 * when the page loads; a facet link followed by htmx (hx-boost) brings new buttons, and
 * CKAN 2.11 (unlike 2.12) binds none of them: the drawer then stayed open and its close
 * button did nothing. One listener on the document serves every button, old or new.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (!event.target.closest) {
      return;
    }
    if (event.target.closest(".hide-filters")) {
      document.body.classList.remove("filters-modal");
    } else if (event.target.closest(".show-filters")) {
      document.body.classList.add("filters-modal");
    }
  });
})();

/* Names for the controls CKAN's forms leave unnamed: the widgets select2 builds (comboboxes
 * without an accessible name, search boxes labelled "Search" in English) and controls whose
 * label has no `for` (the file name of an existing upload). Each gets the label of the field
 * it stands for, so a screen reader reads "Kata Kunci", "Lisensi", "Berkas".
 */
(function () {
  "use strict";

  function labelWidgets() {
    $(".select2-container").each(function () {
      var container = $(this);
      // select2 4 (CKAN 2.12) puts its widget after the field, select2 3 (CKAN 2.11) before
      var original = container.prev("select, input").get(0) || container.next("select, input").get(0);
      if (!original || !original.id) {
        return;
      }
      var label = document.querySelector('label[for="' + original.id + '"]');
      if (!label) {
        return;
      }
      if (!label.id) {
        label.id = original.id + "-label";
      }
      container.find(".select2-selection").each(function () {
        var selection = $(this);
        var rendered = selection.find(".select2-selection__rendered");
        var own = rendered.attr("id");
        selection.attr("aria-labelledby", own ? label.id + " " + own : label.id);
        if (own && rendered.attr("role")) {
          rendered.attr("aria-labelledby", label.id + " " + own);
        }
      });
      container.find(".select2-search__field, .select2-input, .select2-focusser").attr("aria-label", $.trim($(label).text()));
    });
  }

  function labelOrphans() {
    $(".form-group label.form-label:not([for])").each(function () {
      var label = this;
      var control = $(label).siblings("input, select, textarea").add($(label).siblings().find("input[readonly]")).first();
      if (!control.length || control.attr("aria-labelledby") || control.attr("type") === "hidden") {
        return;
      }
      if (!label.id) {
        label.id = "sipessut-label-" + Math.random().toString(36).slice(2, 10);
      }
      control.attr("aria-labelledby", label.id);
    });
  }

  // CKAN builds the widgets when its modules start (after its translations load), and
  // again when a form part is added: label them whenever select2 adds some.
  var pending = null;
  new MutationObserver(function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      labelWidgets();
      labelOrphans();
    }, 50);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();

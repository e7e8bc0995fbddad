/* Adds and removes variables (rows) of the MS-Var data dictionary in the resource form.
 * New rows come from the <template>, numbered after the highest index in use, so
 * that the server reads them in order (data_dictionary-N-<property>). */
ckan.module("sipessut-dictionary", function ($) {
  "use strict";
  return {
    initialize: function () {
      var el = this.el;
      var list = el.find(".sipessut-variables");
      var template = el.find(".sipessut-variable-template").html();
      function renumber() {
        list.children(".sipessut-variable").each(function (position) {
          $(this).find(".sipessut-variable-number").text(position + 1);
        });
      }
      el.on("click", ".sipessut-variable-add", function () {
        var next = 0;
        list.children(".sipessut-variable").each(function () {
          next = Math.max(next, parseInt($(this).attr("data-index"), 10) + 1);
        });
        list.append(template.replace(/__INDEX__/g, String(next)));
        renumber();
      });
      el.on("click", ".sipessut-variable-remove", function () {
        $(this).closest(".sipessut-variable").remove();
        renumber();
      });
    },
  };
});

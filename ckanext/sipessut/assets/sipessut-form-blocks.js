/* The block navigator of a long metadata form (MS-Keg): keeps each block's mark
 * ("complete", "3 to fill in") up to date while the steward types, and hides the
 * blocks that do not apply (their fieldset is hidden by sipessut-show-if).
 *
 * A block's required fields are the visible form groups whose label carries CKAN's
 * required marker; a field counts as filled when one of its inputs has a value.
 */
ckan.module("sipessut-form-blocks", function ($) {
  "use strict";

  function filled(group) {
    var any = false;
    group.find("input, select, textarea").each(function () {
      var input = $(this);
      if (input.prop("disabled") || input.attr("type") === "hidden") {
        return;
      }
      if (input.is(":checkbox, :radio")) {
        any = any || input.prop("checked");
      } else {
        any = any || String(input.val() || "").trim() !== "";
      }
    });
    return any;
  }

  return {
    initialize: function () {
      var nav = this.el;
      var form = nav.closest("form");
      var labels = this.options;
      function update() {
        nav.find("li[data-block]").each(function () {
          var item = $(this);
          var block = $("#" + item.attr("data-block"));
          if (!block.length) {
            return;
          }
          item.prop("hidden", block.prop("hidden"));
          var required = block.find(".form-group").filter(function () {
            var group = $(this);
            return group.find("label .control-required").length && !group.closest("[hidden]").length;
          });
          var missing = required.filter(function () { return !filled($(this)); }).length;
          var mark = item.find(".sipessut-block-mark");
          mark.toggleClass("sipessut-block-done", missing === 0);
          mark.toggleClass("sipessut-block-todo", missing > 0);
          if (!required.length) {
            mark.text(labels.none);
          } else if (missing === 0) {
            mark.html('<i class="fa fa-check" aria-hidden="true"></i> ').append(document.createTextNode(labels.complete));
          } else {
            mark.text(String(labels.missing).replace("{count}", missing));
          }
        });
      }
      form.on("change input sipessut-show-if", update);
      // after the other modules of the form (sipessut-show-if hides blocks that do not apply)
      window.setTimeout(update, 0);
    },
  };
});

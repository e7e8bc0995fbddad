/* Shows a form section or field only while its condition holds.
 *
 *   <fieldset data-module="sipessut-show-if" data-module-rule='{"cara_pengumpulan_data": ["2"]}'>
 *
 * The rule maps other fields to the codes that make this part apply (any of
 * them), or to "filled". While hidden, its inputs are disabled so they are not
 * submitted; the server drops such values anyway (metadata/rules.py), so the
 * form also works without JavaScript.
 */
ckan.module("sipessut-show-if", function ($) {
  "use strict";

  function valuesOf(form, name) {
    var values = [];
    form.find('[name="' + name + '"]').each(function () {
      var input = $(this);
      if (input.prop("disabled")) {
        return;
      }
      if (input.is(":checkbox, :radio")) {
        if (input.prop("checked")) {
          values.push(input.val());
        }
      } else {
        values = values.concat([].concat(input.val() || []));
      }
    });
    return values.filter(function (value) {
      return String(value).trim() !== "";
    });
  }

  function holds(form, rule) {
    return Object.keys(rule).every(function (name) {
      var present = valuesOf(form, name);
      var expected = rule[name];
      if (expected === "filled") {
        return present.length > 0;
      }
      return present.some(function (value) {
        return expected.map(String).indexOf(String(value)) !== -1;
      });
    });
  }

  return {
    initialize: function () {
      var form = this.el.closest("form");
      var rule = this.options.rule || {};
      var part = this.el;
      function update() {
        var shown = holds(form, rule);
        part.prop("hidden", !shown);
        part.find("input, select, textarea").prop("disabled", !shown);
      }
      form.on("change sipessut-show-if", function (event) {
        update();
        if (event.type === "change") {
          // a part that depends on a part that just changed updates next
          form.trigger("sipessut-show-if");
        }
      });
      update();
    },
  };
});

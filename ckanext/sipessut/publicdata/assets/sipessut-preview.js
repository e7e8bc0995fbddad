/* CKAN's datatables_view completed from the MS-Var dictionary: the unit after each
   column's title, numbers in the page's language (61.234 / 221,29 in Indonesian), and the
   label next to a code (64.72.01 Palaran). Applied after every draw of the table. */
/* global jQuery */
(function ($) {
  'use strict'
  const source = document.getElementById('sipessut-preview-columns')
  if (!source) return
  const settings = JSON.parse(source.textContent)
  const columns = settings.columns || {}
  const number = new Intl.NumberFormat(settings.lang || 'id-ID', { maximumFractionDigits: 6 })

  function headers (api) {
    api.columns().every(function () {
      const spec = columns[this.dataSrc()]
      const header = this.header()
      if (!spec || !spec.unit || !header || header.dataset.sipessutUnit) return
      const unit = document.createElement('span')
      unit.className = 'sipessut-unit'
      unit.textContent = ' (' + spec.unit + ')'
      header.insertBefore(unit, header.querySelector('i') || null)
      header.dataset.sipessutUnit = 'true'
    })
  }

  function cells (api) {
    api.columns().every(function () {
      const spec = columns[this.dataSrc()]
      if (!spec) return
      $(this.nodes()).each(function () {
        if (this.dataset.sipessut) return
        const text = this.textContent.trim()
        if (spec.number && text !== '' && !isNaN(Number(text))) {
          this.textContent = number.format(Number(text))
          this.classList.add('sipessut-number')
        } else if (spec.labels && spec.labels[text]) {
          const label = document.createElement('span')
          label.className = 'sipessut-code-label'
          label.textContent = ' ' + spec.labels[text]
          this.appendChild(label)
        }
        this.dataset.sipessut = 'true'
      })
    })
  }

  $(document).on('draw.dt', function (event, dtSettings) {
    const api = new $.fn.dataTable.Api(dtSettings)
    headers(api)
    cells(api)
  })
})(jQuery)

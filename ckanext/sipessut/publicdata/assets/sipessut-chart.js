/* The sipessut_chart view: draws the chart that chart.py computed with Apache ECharts
   (SVG renderer), numbers in the page's language; PNG and SVG downloads. */
/* global echarts */
ckan.module('sipessut-chart', function ($) {
  'use strict'
  return {
    initialize: function () {
      const figure = this.el[0]
      const data = JSON.parse(figure.querySelector('.sipessut-chart-data').textContent)
      const locale = (data.lang || 'id').indexOf('id') === 0 ? 'id-ID' : 'en-GB'
      const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })
      const format = function (value) {
        return value === null || value === undefined || value === '' ? '–' : number.format(value)
      }
      figure.querySelectorAll('td.sipessut-number').forEach(function (cell) {
        if (cell.dataset.value !== '') cell.textContent = format(Number(cell.dataset.value))
      })
      const canvas = figure.querySelector('.sipessut-chart-canvas')
      const narrow = canvas.clientWidth < 560
      // "Kecamatan Palaran", "Kecamatan Sambutan"...: the shared first word goes to the axis name.
      let categories = data.categories.map(String)
      let xName = data.x_label
      const first = categories.length > 1 && categories[0].indexOf(' ') > 0 ? categories[0].split(' ')[0] + ' ' : ''
      if (first && categories.every(function (c) { return c.indexOf(first) === 0 && c.length > first.length })) {
        categories = categories.map(function (c) { return c.slice(first.length) })
        xName = first.trim()
      }
      const longest = Math.min(20, Math.max.apply(null, categories.map(function (c) { return c.length }).concat([1])))
      // Labels are turned when, written flat, they would not fit side by side.
      const many = data.categories.length * longest * 7 > canvas.clientWidth * 0.9
      const label = canvas.getAttribute('aria-label')
      const chart = echarts.init(canvas, null, { renderer: 'svg', locale: locale.indexOf('id') === 0 ? 'ID' : 'EN' })
      const type = data.type === 'line' ? 'line' : 'bar'
      chart.setOption({
        // Our own label (in the page's language) and the data table below describe it.
        aria: { enabled: false },
        animation: false,
        color: ['#1f5f9e', '#e0782f', '#3b9a57', '#b8372d', '#7b5ea7', '#8c6d31', '#d16ba5', '#5a6b7b'],
        tooltip: { trigger: 'axis', valueFormatter: format },
        legend: data.series.length > 1 ? { top: 0, type: 'scroll' } : { show: false },
        grid: { left: 12, right: 16, top: data.series.length > 1 ? 40 : 24, bottom: 48, containLabel: true },
        xAxis: {
          type: 'category',
          data: categories,
          name: xName,
          nameLocation: 'middle',
          // Below the labels, turned (40 degrees) or not.
          nameGap: many ? Math.round(longest * 6.5 * 0.65) + 24 : 30,
          axisLabel: { interval: 0, rotate: many ? 40 : 0, width: 140, overflow: 'truncate' }
        },
        yAxis: {
          type: 'value',
          name: data.y_label,
          nameTextStyle: { align: 'left' },
          axisLabel: { formatter: format }
        },
        series: data.series.map(function (serie) {
          return { name: serie.name, type: type, data: serie.data, connectNulls: false, emphasis: { focus: 'series' } }
        })
      })
      canvas.setAttribute('role', 'img')
      canvas.setAttribute('aria-label', label)
      canvas.querySelectorAll('svg').forEach(function (svg) { svg.setAttribute('aria-hidden', 'true') })
      if (many) canvas.style.height = (narrow ? 460 : 440) + 'px'
      chart.resize()
      $(window).on('resize', function () { chart.resize() })

      const filename = (data.title || 'grafik').replace(/[^\w\- ]+/g, '').trim().slice(0, 80) || 'grafik'
      const save = function (url, extension) {
        const link = document.createElement('a')
        link.href = url
        link.download = filename + '.' + extension
        document.body.appendChild(link)
        link.click()
        link.remove()
      }
      const svgText = function () {
        return chart.renderToSVGString()
      }
      figure.querySelectorAll('[data-chart-download]').forEach(function (button) {
        button.addEventListener('click', function () {
          const svg = svgText()
          const blob = new Blob([svg], { type: 'image/svg+xml' })
          const url = URL.createObjectURL(blob)
          if (button.dataset.chartDownload === 'svg') {
            save(url, 'svg')
            setTimeout(function () { URL.revokeObjectURL(url) }, 1000)
            return
          }
          const image = new Image()
          image.onload = function () {
            const scale = 2
            const png = document.createElement('canvas')
            png.width = canvas.clientWidth * scale
            png.height = canvas.clientHeight * scale
            const context = png.getContext('2d')
            context.fillStyle = '#ffffff'
            context.fillRect(0, 0, png.width, png.height)
            context.drawImage(image, 0, 0, png.width, png.height)
            URL.revokeObjectURL(url)
            save(png.toDataURL('image/png'), 'png')
          }
          image.src = url
        })
      })
      figure.dataset.chartReady = 'true'
    }
  }
})

/* portal.js: small enhancements shared by both portals. Every page works without it (POST,
   redirect, GET); each behaviour below only adds, and is switched on by data attributes in the
   templates. No framework, no external script, no eval, no inline handler (CSP script-src 'self').
   Loaded with `defer`, so the document is parsed when this runs. */
(function () {
  'use strict';

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  /* What the server reads: NFKC (full-width digits, ，／－ become ASCII), trimmed. */
  function toAscii(text) {
    return String(text).normalize('NFKC').trim();
  }

  /* 1. The error summary takes focus; its links focus the field (a fieldset: its first input). */
  function errorSummary() {
    var summary = byId('error-summary');
    if (!summary) return;
    summary.focus();
    summary.addEventListener('click', function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link) return;
      var target = byId(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      var control = target.matches('input, select, textarea, button')
        ? target
        : target.querySelector('input:not([type="hidden"]), select, textarea, button');
      if (!control) return;
      event.preventDefault();
      // Show the label or legend with the field, as GOV.UK does, then focus without jumping.
      (target.closest('.field') || target).scrollIntoView({ block: 'start' });
      control.focus({ preventScroll: true });
    });
  }

  /* 2. The live ratio of an amount to the first non-empty of some others, e.g. 保証金額 to
     今年度対象額 or else 請負金額. Truncated to one decimal like the server: 40.09% is "40.0%".
     Only the number changes (.ratio__value, or the whole output without one). Optionally,
     data-ratio-against-labels="今年度対象額 請負金額" (one per id) keeps a .ratio__label child
     saying which amount is divided by: （今年度対象額に対する割合）. */
  var AMOUNT = /^([0-9]{1,3}(,[0-9]{3})+|[0-9]+)$/;

  function parseAmount(text) {
    var raw = toAscii(text);
    return AMOUNT.test(raw) ? BigInt(raw.replace(/,/g, '')) : null;
  }

  function ratioText(amountText, againstText) {
    var amount = parseAmount(amountText);
    var against = parseAmount(againstText);
    if (amount === null || against === null || against === BigInt(0)) return '-';
    var tenths = (amount * BigInt(1000)) / against; // BigInt division truncates: floor for positives
    return (tenths / BigInt(10)).toString() + '.' + (tenths % BigInt(10)).toString() + '%';
  }

  function ratios() {
    if (typeof BigInt !== 'function') return;
    each('.ratio[data-ratio-amount]', function (output) {
      var amount = byId(output.dataset.ratioAmount);
      var against = (output.dataset.ratioAgainst || '').split(/\s+/).map(byId).filter(Boolean);
      if (!amount || !against.length) return;
      var target = output.querySelector('.ratio__value') || output;
      var label = output.querySelector('.ratio__label');
      var labels = (output.dataset.ratioAgainstLabels || '').split(/\s+/);
      function update() {
        var base = against.filter(function (input) { return input.value.trim() !== ''; })[0];
        target.textContent = ratioText(amount.value, base ? base.value : '');
        var name = base && labels[against.indexOf(base)];
        if (label && name) label.textContent = '（' + name + 'に対する割合）';
      }
      [amount].concat(against).forEach(function (input) { input.addEventListener('input', update); });
      update();
    });
  }

  /* 3. The 和暦 of a date as typed: 20230320, 2023-03-20, 2023/3/20 → 令和5年3月20日. */
  var ERAS = [ // [first day as yyyymmdd, name, first Western year]
    [20190501, '令和', 2019],
    [19890108, '平成', 1989],
    [19261225, '昭和', 1926]
  ];

  function parseDate(text) {
    var raw = toAscii(text);
    // As the server: 20230320, 2023-03-20, 2023/03/20 or 2023/3/20.
    var m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(raw) ||
      /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(raw) ||
      /^([0-9]{4})\/([0-9]{1,2})\/([0-9]{1,2})$/.exec(raw);
    if (!m) return null;
    var y = +m[1], mo = +m[2], d = +m[3];
    var check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
    return { year: y, month: mo, day: d };
  }

  function wareki(text) {
    var date = parseDate(text);
    if (!date) return '';
    var key = date.year * 10000 + date.month * 100 + date.day;
    for (var i = 0; i < ERAS.length; i++) {
      if (key >= ERAS[i][0]) {
        var n = date.year - ERAS[i][2] + 1;
        return ERAS[i][1] + (n === 1 ? '元' : String(n)) + '年' + date.month + '月' + date.day + '日';
      }
    }
    return '';
  }

  function warekiEchoes() {
    each('[data-wareki-for]', function (echo) {
      var input = byId(echo.dataset.warekiFor);
      if (!input) return;
      echo.setAttribute('aria-live', 'polite');
      function update() { echo.textContent = wareki(input.value); }
      input.addEventListener('input', update);
      update();
    });
  }

  /* 4. Copy buttons: copy the text of another element, say so in a live region for 3 seconds. */
  function copyButtons() {
    if (!(navigator.clipboard && navigator.clipboard.writeText)) return;
    each('button[data-copy-target]', function (button) {
      var timer = null;
      button.hidden = false;
      button.addEventListener('click', function () {
        var source = byId(button.dataset.copyTarget);
        var status = byId(button.dataset.copyStatus);
        if (!source) return;
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (!status) return;
          status.textContent = 'コピーしました';
          clearTimeout(timer);
          timer = setTimeout(function () { status.textContent = ''; }, 3000);
        }, function () { /* refused: the text is still there to select by hand */ });
      });
    });
  }

  /* 5. Print and close buttons (a certificate opened in its own window). */
  function printAndClose() {
    each('button[data-print]', function (button) {
      button.hidden = false;
      button.addEventListener('click', function () { window.print(); });
    });
    each('button[data-close]', function (button) {
      button.hidden = false;
      button.addEventListener('click', function () {
        window.close();
        // A window the script did not open stays open: go back instead.
        setTimeout(function () { if (!window.closed) history.back(); }, 300);
      });
    });
  }

  /* 6. Session timeout warning (WCAG 2.2.1), HMRC style: warn `sessionWarn` seconds before the
     session ends, offer to stay signed in, go to the login page when it has ended. */
  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), ' +
    'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  function minutesAndSeconds(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return (m ? m + '分' : '') + (s || !m ? s + '秒' : '');
  }

  function sessionTimeout() {
    var data = document.body.dataset;
    var timeout = parseInt(data.sessionTimeout, 10);
    var dialog = byId('timeout-dialog');
    var stay = byId('timeout-stay');
    var remaining = byId('timeout-remaining');
    if (!(timeout > 0) || !dialog || !stay) return;
    var warn = parseInt(data.sessionWarn, 10);
    warn = Math.min(warn >= 0 ? warn : 120, timeout);
    var deadline, warnTimer, endTimer, ticker, returnFocus, madeInert = [], pending = false, ended = false;

    function start() {
      deadline = Date.now() + timeout * 1000;
      warnTimer = setTimeout(open, (timeout - warn) * 1000);
      endTimer = setTimeout(expire, timeout * 1000);
    }

    function expire() {
      if (ended) return;
      ended = true;
      location.assign(data.sessionExpired || location.href);
    }

    function tick() {
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      if (remaining) remaining.textContent = minutesAndSeconds(left);
      if (left === 0) expire();
    }

    function setInert(on) {
      if (on) {
        madeInert = Array.prototype.filter.call(document.body.children, function (el) {
          return el !== dialog && !el.inert && el.tagName !== 'SCRIPT';
        });
      }
      madeInert.forEach(function (el) { el.inert = on; });
      if (!on) madeInert = [];
    }

    function open() {
      returnFocus = document.activeElement;
      dialog.hidden = false;
      setInert(true);
      tick();
      ticker = setInterval(tick, 1000);
      document.addEventListener('keydown', onKey, true);
      stay.focus();
    }

    function close() {
      clearInterval(ticker);
      document.removeEventListener('keydown', onKey, true);
      setInert(false);
      dialog.hidden = true;
      if (returnFocus && document.contains(returnFocus) && returnFocus !== document.body) {
        returnFocus.focus();
      }
    }

    function onKey(event) {
      if (event.key === 'Escape') {
        event.preventDefault();
        extend();
      } else if (event.key === 'Tab') {
        var items = Array.prototype.filter.call(dialog.querySelectorAll(FOCUSABLE), function (el) {
          return el.getClientRects().length > 0;
        });
        if (!items.length) return;
        var first = items[0], last = items[items.length - 1];
        if (!dialog.contains(document.activeElement)) {
          event.preventDefault();
          first.focus();
        } else if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }
    }

    function csrfToken() {
      var input = document.querySelector('input[name="csrftoken"]');
      return input ? input.value : '';
    }

    function extend() {
      if (pending || ended) return;
      pending = true;
      fetch(data.sessionExtend, {
        method: 'POST',
        headers: { 'x-csrftoken': csrfToken() },
        credentials: 'same-origin'
      }).then(function (response) {
        pending = false;
        if (response.ok) {
          clearTimeout(warnTimer);
          clearTimeout(endTimer);
          close();
          start();
        } else if (response.status === 401 || response.status === 403) {
          expire();
        }
        // Any other answer: the dialog stays; the user may try again until the session ends.
      }, function () { pending = false; });
    }

    stay.addEventListener('click', extend);
    start();
  }

  /* 7. Fields that only apply sometimes: paper-certificate fields unless 証書(紙) is chosen, a
     product's details unless its checkbox #SECTION-apply is ticked. A block with an error in it
     is never hidden (the error summary links to it). */
  function conditionalFields() {
    var paperOnly = document.querySelectorAll('[data-paper-only]');
    var details = document.querySelectorAll('[data-product-details]');
    if (!paperOnly.length && !details.length) return;

    function show(el, visible) {
      el.hidden = !visible && !el.querySelector('[aria-invalid="true"]');
    }

    function update() {
      var paper = document.querySelector(
        'input[type="radio"][name$=".certificate_format"][value="paper"]:checked') !== null;
      Array.prototype.forEach.call(paperOnly, function (el) { show(el, paper); });
      Array.prototype.forEach.call(details, function (el) {
        var box = byId(el.dataset.productDetails + '-apply');
        if (box) show(el, box.checked); // no checkbox on the page: leave it as rendered
      });
    }

    document.addEventListener('change', update);
    update();
  }

  /* 8. Choosing an orderer fills its certificate name (被保証者名), unless the user typed another. */
  function ordererFills() {
    each('select[data-fills]', function (select) {
      var target = byId(select.dataset.fills);
      if (!target) return;
      function chosenName() {
        var option = select.options[select.selectedIndex];
        return (option && option.dataset.certificateName) || '';
      }
      var previous = chosenName();
      select.addEventListener('change', function () {
        var name = chosenName();
        if (target.value === '' || target.value === previous) {
          target.value = name;
          target.dispatchEvent(new Event('input', { bubbles: true }));
        }
        previous = name;
      });
    });
  }

  /* 9. Forms marked data-once submit once: the buttons are disabled after the first submit and the
     clicked button's name/value travels in a hidden input (a disabled button sends nothing). */
  function submitOnce() {
    document.addEventListener('submit', function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-once')) return;
      if (form.dataset.submitted) {
        event.preventDefault();
        return;
      }
      if (event.defaultPrevented) return;
      form.dataset.submitted = 'true';
      var submitter = event.submitter;
      if (submitter && submitter.name) {
        var keep = document.createElement('input');
        keep.type = 'hidden';
        keep.name = submitter.name;
        keep.value = submitter.value;
        keep.setAttribute('data-once-submitter', '');
        form.appendChild(keep);
      }
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.type === 'submit' || el.type === 'image') {
          el.disabled = true;
          el.setAttribute('aria-disabled', 'true');
        }
      });
    });
    // Back to a page kept in the back/forward cache: its forms can be sent again.
    window.addEventListener('pageshow', function (event) {
      if (!event.persisted) return;
      each('form[data-once][data-submitted]', function (form) {
        delete form.dataset.submitted;
        each('input[data-once-submitter]', function (el) { if (el.form === form) el.remove(); });
        Array.prototype.forEach.call(form.elements, function (el) {
          if (el.type === 'submit' || el.type === 'image') {
            el.disabled = false;
            el.removeAttribute('aria-disabled');
          }
        });
      });
    });
  }

  [errorSummary, ratios, warekiEchoes, copyButtons, printAndClose, sessionTimeout,
    conditionalFields, ordererFills, submitOnce].forEach(function (behaviour) {
    try {
      behaviour();
    } catch (error) {
      // One behaviour failing leaves the others, and the page, working.
      if (window.console) console.error(error);
    }
  });
})();

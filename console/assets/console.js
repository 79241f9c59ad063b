// edge-provisioner console: the pages work without this script; it adds live
// updates (server-sent events), in-place list refresh, loading a descriptor
// file into the text area, and the role-output toggle.
(function () {
  'use strict';

  var announcer = document.getElementById('announcer');

  function announce(text) {
    if (!announcer || !text) return;
    announcer.textContent = text;
  }

  // Replaces a region's markup, keeping which <details> were open and where the focus was.
  function replace(el, markup) {
    var open = Array.prototype.map.call(el.querySelectorAll('details[open][id]'), function (d) {
      return d.id;
    });
    var focused = document.activeElement && el.contains(document.activeElement) ? document.activeElement.id : '';
    el.innerHTML = markup;
    open.forEach(function (id) {
      var d = document.getElementById(id);
      if (d) d.open = true;
    });
    if (focused) {
      var f = document.getElementById(focused);
      if (f) f.focus();
    }
  }

  // The state filter applies as soon as it changes (the Filter button stays for keyboards and no-script).
  Array.prototype.forEach.call(document.querySelectorAll('select[data-autosubmit]'), function (select) {
    select.addEventListener('change', function () {
      select.form.submit();
    });
  });

  // A chosen descriptor file goes into the text area, which is then what is sent.
  var file = document.getElementById('file');
  var descriptor = document.getElementById('descriptor');
  if (file && descriptor) {
    file.addEventListener('change', function () {
      var chosen = file.files && file.files[0];
      if (!chosen) return;
      chosen.text().then(function (text) {
        descriptor.value = text;
        file.value = '';
        document.body.setAttribute('data-loaded-file', chosen.name);
        announce('Loaded ' + chosen.name + ' into the descriptor');
      });
    });
  }

  // Role output is in the page but folded away until asked for.
  var events = document.getElementById('events');
  var toggle = document.getElementById('toggle-output');
  if (events && toggle) {
    var setOutput = function (on) {
      events.classList.toggle('show-output', on);
      toggle.setAttribute('aria-pressed', on ? 'true' : 'false');
      toggle.textContent = on ? 'Hide role output' : 'Show role output';
    };
    toggle.hidden = false;
    setOutput(/[?&]output=1\b/.test(location.search));
    toggle.addEventListener('click', function () {
      setOutput(toggle.getAttribute('aria-pressed') !== 'true');
    });
  }

  // The provision page follows its provision through server-sent events.
  var live = document.body.getAttribute('data-live');
  var status = document.getElementById('live-status');
  if (live && window.EventSource) {
    var after = events ? events.getAttribute('data-after') || '0' : '0';
    var source = new EventSource(live + '?after=' + encodeURIComponent(after));
    var setStatus = function (text) {
      if (status) status.textContent = text;
    };
    source.addEventListener('open', function () {
      setStatus('Live: this page updates by itself.');
    });
    source.addEventListener('error', function () {
      setStatus('Connection to the console lost; reconnecting…');
    });
    source.addEventListener('update', function (message) {
      var data = JSON.parse(message.data);
      Object.keys(data.sections).forEach(function (id) {
        var el = document.getElementById(id);
        if (el) replace(el, data.sections[id]);
      });
      if (data.state) document.body.setAttribute('data-state', data.state);
      (data.announce || []).forEach(announce);
    });
    source.addEventListener('events', function (message) {
      if (!events) return;
      var data = JSON.parse(message.data);
      var atBottom = events.scrollTop + events.clientHeight >= events.scrollHeight - 4;
      events.insertAdjacentHTML('beforeend', data.html);
      events.setAttribute('data-after', message.lastEventId);
      if (atBottom) events.scrollTop = events.scrollHeight;
    });
    source.addEventListener('problem', function (message) {
      setStatus('The API did not answer (' + JSON.parse(message.data).detail + '); retrying…');
    });
    source.addEventListener('gone', function (message) {
      source.close();
      var data = JSON.parse(message.data);
      setStatus('Live updates stopped: ' + (data.detail || data.title || 'the provision cannot be read') + '.');
    });
  }

  // The provision list refreshes in place every few seconds while the tab is visible.
  var list = document.getElementById('list');
  var refresh = list && list.getAttribute('data-refresh');
  if (refresh && window.fetch) {
    setInterval(function () {
      if (document.hidden) return;
      fetch(refresh, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (r) {
          return r.ok ? r.text() : null;
        })
        .then(function (markup) {
          if (markup !== null && markup !== list.innerHTML) replace(list, markup);
        })
        .catch(function () {});
    }, 3000);
  }
})();

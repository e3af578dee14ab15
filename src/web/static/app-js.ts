/**
 * The UI's only script, served as /static/app.js (the CSP forbids inline script). Everything it
 * does is an enhancement: every page works without it. Keyboard use follows DevDocs: "/" searches,
 * j/k or the arrow keys move through results, Enter opens, o opens in the document, c copies the
 * citation, Esc goes back to the search box, "?" lists the keys.
 */
export const APP_JS = `'use strict';
(function () {
  var root = document.documentElement;
  root.classList.add('js');

  var status = document.getElementById('live-status');
  var statusTimer;
  function announce(message) {
    if (!status) return;
    status.textContent = message;
    status.classList.add('shown');
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { status.classList.remove('shown'); }, 2500);
  }

  // ---- copying a citation ----------------------------------------------------------------------
  // The citation names page, printed page, document, version and chunk id; the chunk page's full URL follows it.
  function citationOf(button) {
    return button.dataset.citation + ' ' + new URL(button.dataset.link, location.href).href;
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain http on a LAN address has no clipboard API: fall back to a selected textarea.
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.className = 'offscreen';
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try { copied = document.execCommand('copy'); } catch (error) { copied = false; }
      area.remove();
      if (copied) resolve(); else reject(new Error('copy refused'));
    });
  }
  function copyCitation(button) {
    var text = citationOf(button);
    copyText(text).then(function () {
      announce('Citation copied: ' + text);
    }, function () {
      window.prompt('Copy this citation:', text);
    });
  }
  document.querySelectorAll('button.copy-citation').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { copyCitation(button); });
  });

  // ---- keyboard ----------------------------------------------------------------------------------
  var help = document.getElementById('shortcut-help');
  if (help) {
    help.querySelector('.close-dialog').addEventListener('click', function () { help.close(); });
  }
  var hits = Array.prototype.slice.call(document.querySelectorAll('.hits > .hit'));
  var selected = -1;
  function searchBox() { return document.querySelector('#q') || document.querySelector('input[name="q"]'); }
  function select(index) {
    if (hits.length === 0) return;
    index = Math.max(0, Math.min(hits.length - 1, index));
    if (selected >= 0 && hits[selected]) hits[selected].classList.remove('selected');
    selected = index;
    var hit = hits[selected];
    hit.classList.add('selected');
    var link = hit.querySelector('h2 a');
    if (link) link.focus({ preventScroll: true });
    hit.scrollIntoView({ block: 'nearest' });
  }
  // A result focused by Tab or a click becomes the selected one, so the keys act on it.
  hits.forEach(function (hit, index) {
    hit.addEventListener('focusin', function () {
      if (selected === index) return;
      if (selected >= 0 && hits[selected]) hits[selected].classList.remove('selected');
      selected = index;
      hit.classList.add('selected');
    });
  });
  function typingIn(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = typingIn(target);
    var key = event.key;
    if (help && help.open) {
      // Esc closes the dialog by itself; "?" toggles it.
      if (key === '?') { event.preventDefault(); help.close(); }
      return;
    }
    if (key === 'Escape') {
      var box = searchBox();
      if (box && target !== box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
      return;
    }
    if (typing) {
      // From the search box, the down arrow goes to the first result.
      if (key === 'ArrowDown' && hits.length > 0 && target === searchBox()) {
        event.preventDefault();
        select(0);
      }
      return;
    }
    if (key === '/') {
      var search = searchBox();
      if (!search) return;
      event.preventDefault();
      search.focus();
      search.select();
      return;
    }
    if (key === '?') {
      if (!help) return;
      event.preventDefault();
      help.showModal();
      return;
    }
    if (hits.length === 0) return;
    if (key === 'j' || key === 'ArrowDown') {
      event.preventDefault();
      select(selected < 0 ? 0 : selected + 1);
    } else if (key === 'k' || key === 'ArrowUp') {
      event.preventDefault();
      select(selected < 0 ? 0 : selected - 1);
    } else if (selected >= 0 && key === 'o') {
      var context = hits[selected].querySelector('a.context-link');
      if (context) { event.preventDefault(); location.href = context.href; }
    } else if (selected >= 0 && key === 'c') {
      var button = hits[selected].querySelector('button.copy-citation');
      if (button) { event.preventDefault(); copyCitation(button); }
    }
  });

  // ---- search form -------------------------------------------------------------------------------
  // On a phone the first screen is for results: the filters fold away (their summary says what is set).
  var panel = document.querySelector('details.filter-panel');
  if (panel && window.matchMedia('(max-width: 640px)').matches) panel.open = false;

  // Choosing a version from a product's group also chooses that product (and its vendor).
  var version = document.getElementById('filter-version');
  if (version) {
    version.addEventListener('change', function () {
      var option = version.selectedOptions[0];
      if (!option || !option.dataset.product) return;
      var product = document.getElementById('filter-product');
      var vendor = document.getElementById('filter-vendor');
      if (product) product.value = option.dataset.product;
      if (vendor && option.dataset.vendor) vendor.value = option.dataset.vendor;
    });
  }

  // ---- library: filter as you type ---------------------------------------------------------------
  var filterBox = document.getElementById('library-filter');
  var libraryTree = document.querySelector('.library-tree');
  if (filterBox && libraryTree) {
    var items = Array.prototype.slice.call(libraryTree.querySelectorAll('[data-filter]'));
    var filterStatus = document.querySelector('.filter-status');
    var groups = Array.prototype.slice.call(libraryTree.querySelectorAll('.tree-section, .site-tree, .table-wrap, .version, details.product, details.vendor'));
    var applyFilter = function () {
      var words = filterBox.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.dataset.filter;
        var match = words.every(function (word) { return text.indexOf(word) >= 0; });
        item.hidden = !match;
        if (match) shown++;
      });
      // Innermost groups first (document order reversed), so each sees its children's final state.
      for (var i = groups.length - 1; i >= 0; i--) {
        var group = groups[i];
        var visible = group.querySelector('[data-filter]:not([hidden])') !== null;
        group.hidden = !visible;
        if (words.length > 0 && visible) {
          if (group.tagName === 'DETAILS') group.open = true;
          var inner = group.querySelector(':scope > details');
          if (inner) inner.open = true;
        }
      }
      if (filterStatus) {
        var total = filterStatus.dataset.total;
        // A long library lists part of its documents (a page, or a few per version): say so, and how to filter them all.
        var partial = libraryTree.dataset.partial ? ' Press Enter to filter the whole library.' : '';
        filterStatus.textContent = words.length === 0 ? '' : (shown === 0 ? (partial ? 'No document listed here matches.' + partial : 'No document matches.') : shown + ' of ' + total + ' documents' + (partial ? ' listed here' : '') + ' match.' + partial);
      }
    };
    filterBox.addEventListener('input', applyFilter);
  }

  // ---- document viewer ---------------------------------------------------------------------------
  // Anchored content scrolls clear of the sticky header, whatever height it wraps to.
  // A constructed stylesheet carries the height, so no element gets a style attribute.
  var docHeader = document.querySelector('.doc-header');
  if (docHeader && 'adoptedStyleSheets' in document) {
    var headerSheet = new CSSStyleSheet();
    document.adoptedStyleSheets = document.adoptedStyleSheets.concat([headerSheet]);
    var setHeaderHeight = function () { headerSheet.replaceSync(':root { --doc-header-height: ' + docHeader.offsetHeight + 'px; }'); };
    setHeaderHeight();
    window.addEventListener('resize', setHeaderHeight);
  }

  // The URL fragment already scrolls to the highlighted chunk; this covers links without one.
  var highlighted = document.querySelector('.chunk.highlighted');
  var fragment = location.hash.slice(1);
  try { fragment = decodeURIComponent(fragment); } catch (error) { /* keep it as typed */ }
  if (highlighted && fragment !== highlighted.id) highlighted.scrollIntoView({ block: 'start' });

  // A fragment that points into folded <details> (a product on the library page) unfolds it.
  var targeted = fragment && document.getElementById(fragment);
  for (var node = targeted; node; node = node.parentElement) {
    if (node.tagName === 'DETAILS') node.open = true;
  }
  if (targeted && targeted.tagName === 'DETAILS') targeted.scrollIntoView({ block: 'start' });

  // A long sidebar scrolls on its own; bring the reader's place into its view (the document in
  // its collection first, else the current section of the outline).
  var sidebar = document.querySelector('.sidebar');
  var here = sidebar && (sidebar.querySelector('.reading-order .here') || sidebar.querySelector('.outline .here'));
  if (sidebar && here && sidebar.scrollHeight > sidebar.clientHeight) {
    sidebar.scrollTop += here.getBoundingClientRect().top - sidebar.getBoundingClientRect().top - sidebar.clientHeight / 3;
  }

  // A page image that cannot be drawn says so instead of showing a broken image.
  document.querySelectorAll('.page-image img.page-scan').forEach(function (image) {
    image.addEventListener('error', function () {
      var figure = image.closest('.page-image');
      var note = document.createElement('p');
      note.className = 'hint';
      note.textContent = 'The original page could not be drawn on the server; open the original PDF instead.';
      figure.querySelector('.page-frame').replaceWith(note);
      figure.classList.add('unavailable');
    });
  });
})();
`;

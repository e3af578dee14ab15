/**
 * The UI's only script, served as /static/app.js (the CSP forbids inline script). Everything it
 * does is an enhancement: every page works without it.
 */
export const APP_JS = `'use strict';
(function () {
  // "/" jumps to the search box, unless the user is typing somewhere already.
  document.addEventListener('keydown', function (event) {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.querySelector('input[name="q"]');
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

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

  // The URL fragment already scrolls to the highlighted chunk; this covers links without one.
  var highlighted = document.querySelector('.chunk.highlighted');
  var fragment = location.hash.slice(1);
  try { fragment = decodeURIComponent(fragment); } catch (error) { /* keep it as typed */ }
  if (highlighted && fragment !== highlighted.id) highlighted.scrollIntoView({ block: 'start' });

  // A long outline scrolls within its sidebar; bring the current section into its view.
  var outline = document.querySelector('.outline');
  var here = outline && outline.querySelector('.here');
  if (outline && here && outline.scrollHeight > outline.clientHeight) {
    outline.scrollTop += here.getBoundingClientRect().top - outline.getBoundingClientRect().top - outline.clientHeight / 3;
  }
})();
`;

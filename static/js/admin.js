// The Django admin's widgets, named for assistive technology (WCAG 4.1.2 Name, role, value),
// where Django's own scripts leave them unnamed; loaded by templates/admin/base_site.html.
(() => {
  'use strict';

  const nameWidgets = () => {
    // SelectFilter2 (filter_horizontal): the search box's label holds only an icon whose
    // aria-label is its text; a span with no role may not carry a name, so it is an image.
    for (const icon of document.querySelectorAll('.search-label-icon[aria-label]')) {
      icon.setAttribute('role', 'img');
    }
    // select2 (autocomplete_fields): the combobox is named only by the value chosen, and
    // the value's box (a textbox) not at all, so an empty one has no name; the field's own
    // label names both.
    for (const select of document.querySelectorAll('select.admin-autocomplete')) {
      const label = select.id && document.querySelector(`label[for="${select.id}"]`);
      const box = select.parentElement.querySelector('.select2-selection[role="combobox"]');
      if (!label || !box) continue;
      if (!label.id) label.id = `${select.id}-label`;
      const named = (box.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
      if (!named.includes(label.id)) {
        box.setAttribute('aria-labelledby', [label.id, ...named].join(' '));
      }
      const value = box.querySelector('.select2-selection__rendered[role="textbox"]');
      if (value) value.setAttribute('aria-labelledby', label.id);
    }
  };

  // A tabular inline wider than a phone scrolls inside its group: a keyboard reaches and
  // scrolls it only if the group takes focus (WCAG 2.1.1), named by its heading.
  const focusableScrolling = () => {
    for (const group of document.querySelectorAll('.inline-group')) {
      const scrolls = group.scrollWidth > group.clientWidth;
      const heading = group.querySelector('h2');
      if (scrolls && !group.hasAttribute('tabindex')) {
        if (heading && !heading.id) heading.id = `${group.id}-heading`;
        group.setAttribute('tabindex', '0');
        group.setAttribute('role', 'region');
        if (heading) group.setAttribute('aria-labelledby', heading.id);
      } else if (!scrolls && group.getAttribute('tabindex') === '0') {
        group.removeAttribute('tabindex');
        group.removeAttribute('role');
        group.removeAttribute('aria-labelledby');
      }
    }
  };

  // The widgets are drawn by the admin's own scripts at their own moments (select2 once
  // jQuery is ready, SelectFilter2 on load, an inline's new row on a click), so each change to
  // the page is looked at as it happens.
  const fixAll = () => {
    nameWidgets();
    focusableScrolling();
  };
  new MutationObserver(fixAll).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener('load', fixAll);
  window.addEventListener('resize', focusableScrolling);
})();

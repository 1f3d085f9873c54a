/* Koho: no search index on a first visit. Material requests the language's
   search/search_index.json (XMLHttpRequest) as soon as a page loads, so every page view
   would download the whole index before anyone searches. This script, loaded just before
   Material's, holds that one request until the reader means to search: they type in
   the search box, or press on it or on the header's search button (a phone's way in).
   Passing the box with Tab does not count: a keyboard or screen reader user goes past it
   on every page. A page opened from a search result (?h=, to highlight the words) or with
   ?q= asks for it at once. Material runs the query typed meanwhile as soon as the index
   is ready. Nothing else is changed; without this script, search works as before.

   It also keeps back Material's request for sitemap.xml. Material fetches the sitemap
   for every <link rel="alternate"> of a page, to keep the reader on the same page when
   they switch language through such a link; Koho's alternate links are its feeds, and its
   language switcher links to each translation itself. So every page view downloaded and
   parsed the whole sitemap (every page of every language: 1.5 MB at 1,000 notices) for
   nothing. Only Material's instant navigation (feature navigation.instant) uses it, so
   with that feature on the request goes out as before. */
(() => {
  const INDEX = /\/search\/search_index\.json$/
  const SITEMAP = /\/sitemap\.xml$/
  const features = JSON.parse(document.getElementById("__config")?.textContent || "{}").features || []
  const sitemapUsed = features.includes("navigation.instant")
  const held = []
  let opened = /[?&][qh]=/.test(location.search)
  const release = () => {
    if (opened) return
    opened = true
    for (const send of held.splice(0)) send()
  }
  const { open, send } = XMLHttpRequest.prototype
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    const path = new URL(url, location.href).pathname
    this.kohoSearchIndex = INDEX.test(path)
    this.kohoUnusedSitemap = SITEMAP.test(path) && !sitemapUsed
    return open.call(this, method, url, ...rest)
  }
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.kohoUnusedSitemap) return  // never answered: Material then keeps its links as they are
    if (this.kohoSearchIndex && !opened) {
      held.push(() => send.apply(this, args))
      return
    }
    return send.apply(this, args)
  }
  /* Not the search toggle's change event: Material switches the toggle on by itself
     when the box gets focus, Tab or not. */
  const SEARCH = ".md-search__input, label[for=__search]"
  for (const type of ["input", "pointerdown", "click"])
    document.addEventListener(type, event => {
      if (event.target instanceof Element && event.target.closest(SEARCH)) release()
    }, true)
})()

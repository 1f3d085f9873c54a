/* Koho: no search index on a first visit. Material requests the language's
   search/search_index.json (XMLHttpRequest) as soon as a page loads, so every page view
   would download the whole index before anyone searches. This script, loaded just before
   Material's, holds that one request until the reader opens search: the search box gets
   focus (the header's search button, the keyboard shortcuts and a ?q= link all focus it)
   or the search toggle is switched on. A page opened from a search result (?h=, to
   highlight the words) or with ?q= asks for it at once. Nothing else is changed; without
   this script, search works as before. */
(() => {
  const INDEX = /\/search\/search_index\.json$/
  const held = []
  let opened = /[?&][qh]=/.test(location.search)
  const release = () => {
    if (opened) return
    opened = true
    for (const send of held.splice(0)) send()
  }
  const { open, send } = XMLHttpRequest.prototype
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.kohoSearchIndex = INDEX.test(new URL(url, location.href).pathname)
    return open.call(this, method, url, ...rest)
  }
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.kohoSearchIndex && !opened) {
      held.push(() => send.apply(this, args))
      return
    }
    return send.apply(this, args)
  }
  document.addEventListener("focusin", event => {
    if (event.target instanceof Element && event.target.matches(".md-search__input")) release()
  })
  document.addEventListener("change", event => {
    if (event.target instanceof HTMLInputElement && event.target.id === "__search" && event.target.checked)
      release()
  })
})()

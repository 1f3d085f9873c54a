/* Koho's search worker: Material's own worker (Lunr.js), which it loads on the first
   message, with two changes. It starts small: a page view fetches only this file; Material's
   worker and the search index come when the reader opens search (see koho-search.js).
   And it folds each query word as hooks/koho/search.py folds the index's `kana` field
   (NFKC, then hiragana as katakana), keeping the word as typed too, so that てれわーく finds
   テレワーク, マイナンバー finds まいなんばー and ＤＸ finds DX.
   Material's worker file is named in this worker's URL (?material=search.<hash>.min.js),
   which site_output.use_koho_search_worker writes into the page's configuration. */

const QUERY = 2 // Material's SearchMessageType.QUERY

const HIRAGANA = /[\u3041-\u3096\u309d\u309e]/g
const fold = text =>
  text.normalize("NFKC").replace(HIRAGANA, c => String.fromCharCode(c.charCodeAt(0) + 0x60))

/* Each word that folding changes is searched as typed and folded (either may match).
   A hiragana word with the long-vowel mark (てれわーく) only folded: Material's separator
   would split it at ー. Words with Lunr's query syntax (+ - " ~ ^ : *) are left alone. */
const foldQuery = query => query.split(/(\s+)/).map(word => {
  const folded = fold(word)
  if (folded === word || /[+\-"~^:*]/.test(word)) return word
  if (/[\u3041-\u309f]ー/.test(word)) return folded
  return `${word} ${folded}`
}).join("")

const material = new URL(self.location.href).searchParams.get("material") || ""
if (!/^search\.[0-9a-f]+\.min\.js$/.test(material))
  throw new Error(`Koho search worker: unexpected Material worker name '${material}'`)

let handle = null
const listen = self.addEventListener.bind(self)

/* Load Material's worker and keep its message handler for ourselves. */
const load = () => {
  self.addEventListener = (type, listener, options) => {
    if (type === "message") handle = listener
    else listen(type, listener, options)
  }
  try {
    importScripts(material)
  } finally {
    self.addEventListener = listen
  }
}

listen("message", event => {
  if (!handle) load()
  const message = event.data
  handle({ data: message.type === QUERY ? { ...message, data: foldQuery(message.data) } : message })
})

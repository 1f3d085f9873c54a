/* Koho's search worker: answers Material's search box from the language's Pagefind bundle
   (hooks/koho/search_bundle.py), so that a query downloads a few index chunks and the
   fragments of the results it shows, however large the site. It speaks Material's worker
   messages: SETUP carries the language's search_index.json, whose config.pagefind is the
   bundle's path; each QUERY gets a RESULT in the shape of Material's own worker.

   Queries are folded as search.py folds the terms added to each page (NFKC, then hiragana
   as katakana): てれわーく finds テレワーク, まいなんばー finds マイナンバー, ＤＸ finds DX. */

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3  // Material's SearchMessageType
const SHOWN = 20  // results fetched and listed for a query
const TERMS_MARKER = "\u2042"  // search_bundle.TERMS_MARKER: the terms for search follow it
const WORD_BREAKS = /\u200b/g  // Pagefind's between the words it cut Japanese into

const HIRAGANA = /[\u3041-\u3096\u309d\u309e]/g
const fold = text =>
  text.normalize("NFKC").replace(HIRAGANA, c => String.fromCharCode(c.charCodeAt(0) + 0x60))

const escapeHTML = text => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

let pagefind = null

const setup = async config => {
  pagefind = await import(new URL(`${config.pagefind}pagefind.js`, self.location.href).href)
  // As Material's Lunr.js index (b = 0): a long page that says it often is not ranked
  // below a short one that says it once.
  await pagefind.options({ baseUrl: "/", ranking: { pageLength: 0 } })
  await pagefind.init()
}

/* The excerpt of a result, from the article only, never from the terms added for search
   after it: Pagefind's own excerpt when it is a part of the article; otherwise (the match
   was a folded or partial word among the terms) the article around the first word of the
   query found in it folded (ゴミ marks ごみ), or its start. */
const EXCERPT = 140
const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'" }
const plainText = html => html.replace(/<\/?mark>/g, "").replace(/&(amp|lt|gt|quot|#39|#x27);/g, e => ENTITIES[e])

const excerpt = (data, words) => {
  const [article] = data.content.replace(WORD_BREAKS, "").split(TERMS_MARKER)
  const own = data.excerpt.replace(WORD_BREAKS, "").trim()
  if (own.includes("<mark>") && !own.includes(TERMS_MARKER) && article.includes(plainText(own)))
    return own
  return around(article.trim(), words)
}

/* Where a folded word first occurs in a text: folding keeps each character's place. */
const foldedIndex = (text, word) => {
  const starts = []
  let folded = ""
  for (let i = 0; i < text.length; i++) {
    starts.push(folded.length)
    folded += fold(text[i])
  }
  const at = folded.indexOf(fold(word))
  return at < 0 ? null : { start: starts.findIndex(start => start >= at), length: word.length }
}

const around = (text, words) => {
  const found = words.map(word => foldedIndex(text, word)).find(Boolean)
  if (!found) return escapeHTML(text.slice(0, EXCERPT)) + (text.length > EXCERPT ? "…" : "")
  const from = Math.max(0, found.start - EXCERPT / 3)
  const end = found.start + found.length
  return (from > 0 ? "…" : "") + escapeHTML(text.slice(from, found.start)) +
    `<mark>${escapeHTML(text.slice(found.start, end))}</mark>` +
    escapeHTML(text.slice(end, from + EXCERPT)) + (from + EXCERPT < text.length ? "…" : "")
}

const search = async query => {
  const words = query.trim().split(/\s+/).filter(Boolean)
  if (!words.length) return { items: [] }
  const found = await pagefind.search(fold(words.join(" ")))
  const shown = found.results.slice(0, SHOWN)
  const pages = await Promise.all(shown.map(result => result.data()))
  const terms = Object.fromEntries(words.map(word => [word, true]))
  return {
    items: pages.map((data, index) => [{
      location: data.url.replace(/^\//, ""),  // relative to the language's home, as Material's
      title: escapeHTML(data.meta.title || ""),
      text: excerpt(data, words),
      score: shown[index].score,
      terms
    }])
  }
}

const answer = async message => {
  if (message.type === SETUP) {
    await setup(message.data.config)
    return { type: READY }
  }
  if (message.type === QUERY) return { type: RESULT, data: await search(message.data) }
}

/* One message after another, as Material's own worker answers them: an answer to an
   earlier query never arrives after a later one's. */
let queue = Promise.resolve()
self.addEventListener("message", ({ data: message }) => {
  queue = queue.then(() => answer(message)).then(reply => reply && postMessage(reply))
    .catch(error => console.error("Koho search:", error))
})

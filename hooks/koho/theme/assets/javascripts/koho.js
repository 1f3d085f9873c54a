/* Koho: small behaviours that Material does not provide. No third-party code. */

/* Material's menu drawer and search are opened by two checkboxes, which Material marks
   autocomplete="off" (not allowed on a checkbox) so that Firefox does not restore them
   checked when the reader comes back to a page. Koho drops the attribute
   (site_output.drop_toggle_autocomplete) and unchecks them here instead: this script
   runs before Material reads them on DOMContentLoaded. */
for (const id of ["__drawer", "__search"]) {
  const toggle = document.getElementById(id)
  if (toggle) toggle.checked = false
}

/* Glossary tooltips can be dismissed with Escape without moving focus (WCAG 1.4.13). */
document.addEventListener("keydown", event => {
  if (event.key === "Escape")
    for (const term of document.querySelectorAll(".koho-term"))
      term.classList.add("koho-term--dismissed")
})
for (const type of ["focusin", "mouseover"])
  document.addEventListener(type, event => {
    const term = event.target instanceof Element && event.target.closest(".koho-term")
    if (term) term.classList.remove("koho-term--dismissed")
  })

/* Procedures index: filter by life event and online availability. Without
   JavaScript the form stays hidden and every group is listed. */
for (const form of document.querySelectorAll(".koho-procedure-filter")) {
  form.hidden = false
  const apply = () => {
    const event = form.elements.event.value
    const onlineOnly = form.elements.online.checked
    for (const group of document.querySelectorAll(".koho-procedure-group")) {
      let shown = 0
      for (const item of group.querySelectorAll("li")) {
        item.hidden = onlineOnly && item.dataset.online !== "yes"
        shown += item.hidden ? 0 : 1
      }
      group.hidden = (event !== "" && group.dataset.event !== event) || shown === 0
    }
  }
  // The list follows each choice at once; the button is there for those who expect one.
  form.addEventListener("change", apply)
  form.addEventListener("submit", submitted => {
    submitted.preventDefault()
    apply()
  })
}

/* The search box in the content (the home page): it needs the site's search, which
   needs JavaScript, so it shows only here. */
for (const form of document.querySelectorAll(".koho-search-form")) form.hidden = false

/* Furigana toggle: one choice for every page, kept in localStorage; where the
   content shows readings by default (やさしい日本語), that is the starting state. */
for (const toggle of document.querySelectorAll(".koho-furigana-toggle")) {
  const root = document.documentElement
  const byDefault = document.querySelector(".koho-furigana-default") ? "on" : "off"
  const isOn = () => (root.dataset.kohoFurigana || byDefault) === "on"
  toggle.hidden = false
  toggle.setAttribute("aria-pressed", String(isOn()))
  toggle.addEventListener("click", () => {
    const choice = isOn() ? "off" : "on"
    root.dataset.kohoFurigana = choice
    try { localStorage.setItem("koho.furigana", choice) } catch { /* private mode: this page only */ }
    toggle.setAttribute("aria-pressed", String(choice === "on"))
  })
}

/* Read-aloud: the browser's speech synthesis reads the main content, block by
   block, in the content's language. Hidden where the browser has none. */
for (const group of document.querySelectorAll(".koho-read-aloud")) {
  if (!("speechSynthesis" in window)) continue
  group.hidden = false
  const [play, pause, stop] = ["play", "pause", "stop"].map(action =>
    group.querySelector(`[data-action=${action}]`))
  let paused = false
  const setPlaying = playing => {
    // Pause and stop exist only while reading; focus on one of them goes back to play.
    const hadFocus = !playing && group.contains(document.activeElement) && document.activeElement !== play
    pause.disabled = stop.disabled = pause.hidden = stop.hidden = !playing
    pause.textContent = pause.dataset.labelPause
    paused = false
    if (hadFocus) play.focus()
  }
  const blocks = () => {
    const article = group.closest("article") || document.querySelector("article")
    const skip = ".koho-read-aloud, .koho-term__tip, .headerlink, .md-source-file, script, style, rt"
    return [...article.querySelectorAll("h1, h2, h3, h4, p, li, dt, dd, th, td")]
      .filter(el => !el.closest(skip) && !el.querySelector("p, li"))
      .map(el => {
        const copy = el.cloneNode(true)
        copy.querySelectorAll(skip).forEach(node => node.remove())
        return { text: copy.textContent.trim(), lang: el.closest("[lang]")?.lang }
      })
      .filter(block => block.text)
  }
  play.addEventListener("click", () => {
    speechSynthesis.cancel()
    const queue = blocks()
    queue.forEach((block, index) => {
      const utterance = new SpeechSynthesisUtterance(block.text)
      utterance.lang = block.lang || document.documentElement.lang
      if (index === queue.length - 1) utterance.addEventListener("end", () => setPlaying(false))
      speechSynthesis.speak(utterance)
    })
    setPlaying(queue.length > 0)
  })
  pause.addEventListener("click", () => {
    paused = !paused
    if (paused) speechSynthesis.pause()
    else speechSynthesis.resume()
    pause.textContent = paused ? pause.dataset.labelResume : pause.dataset.labelPause
  })
  stop.addEventListener("click", () => {
    speechSynthesis.cancel()
    setPlaying(false)
  })
}

/* Material's header toggles (menu drawer, search) are <label>s, which the
   keyboard cannot reach: make them focus stops, named by hidden text like what
   they open (ARIA roles and aria-label are not allowed on a <label>). */
for (const label of document.querySelectorAll("label.md-header__button[for]")) {
  const target = label.htmlFor === "__search"
    ? document.querySelector(".md-search__input")?.getAttribute("aria-label")
    : document.querySelector(".md-nav--primary")?.getAttribute("aria-label")
  label.tabIndex = 0
  if (target) {
    const name = document.createElement("span")
    name.className = "koho-visually-hidden"
    name.textContent = target
    label.append(name)
  }
  // Material itself clicks a focused label[tabindex] on Enter; Space is ours.
  label.addEventListener("keydown", event => {
    if (event.key === " ") {
      event.preventDefault()
      label.click()
    }
  })
}

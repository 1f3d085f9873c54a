/* Koho: small behaviours that Material does not provide. No third-party code. */

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
  form.addEventListener("change", () => {
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
  })
}

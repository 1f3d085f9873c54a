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

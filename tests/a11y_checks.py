"""Accessibility checks that tools cannot make, run in a real Chromium page.

Each check takes a Playwright page already at the URL and returns the problems it
found, in words; an empty list means the page passes. `make a11y` runs them on every
page, the tests run them on sample pages and on a deliberately broken fixture page.
"""

from __future__ import annotations

import asyncio

# WCAG success criteria each check stands for, for the test results page.
CRITERIA = {
    "skip_link": ["2.4.1"],
    "keyboard": ["2.1.1", "2.4.3", "2.4.7", "2.4.11"],
    "reflow": ["1.4.10"],
    "text_200": ["1.4.4"],
    "target_size": ["2.5.8"],
    "languages": ["3.1.1", "3.1.2"],
}

MIN_TARGET = 24  # CSS px, WCAG 2.5.8

_FOCUSABLE = ("a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, "
              "textarea, summary, [tabindex]:not([tabindex='-1'])")


def skip_link(page) -> list[str]:
    """The first Tab stop is a visible skip link, and it leads into the main content."""
    from_the_top(page)
    page.keyboard.press("Tab")
    first = page.evaluate("""() => {
        const el = document.activeElement, box = el.getBoundingClientRect()
        const href = el.getAttribute("href") || ""
        return {skip: href.length > 1 && href.startsWith("#") &&
                      !!document.getElementById(decodeURIComponent(href.slice(1))),
                visible: box.width > 0 && box.height > 0 && box.bottom > 0,
                text: el.textContent.trim()}
    }""")
    if not first["skip"]:
        return [f"the first Tab stop is not a skip link (it is “{first['text'][:40]}”)"]
    problems = [] if first["visible"] else ["the skip link is not visible when focused"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    if not page.evaluate("!!document.activeElement.closest('main, [role=main]')"):
        problems.append("after the skip link, Tab does not continue inside the main content")
    return problems


def keyboard(page, limit: int = 400) -> list[str]:
    """Tab reaches every visible control, each focus is visible on screen and changes
    how the control looks, and focus never lands on something invisible.

    Every Tab is a real key press. What it focused is looked at when the next Tab goes
    down (in a keydown listener, before the browser moves focus on), so a step costs no
    round trip of its own; once focus has come round, the listener holds Tab back."""
    page.add_style_tag(content=_NO_TRANSITIONS)
    page.evaluate(f"""() => {{
        window.__kohoTargets = [...document.querySelectorAll({_FOCUSABLE!r})]
            .filter(el => el.checkVisibility({{visibilityProperty: true, opacityProperty: true}}))
            .filter(el => el.tabIndex >= 0)
        window.__kohoReached = new Set()
        window.__kohoProblems = []
        const walk = window.__kohoWalk = {{done: false, state: {_FOCUS_STATE}}}
        walk.listener = event => {{
            if (event.key !== "Tab") return
            if (!walk.done && !document.activeElement?.matches("[{_START}]"))
                walk.done = walk.state() === "wrapped"
            if (walk.done) event.preventDefault()
        }}
        window.addEventListener("keydown", walk.listener, true)
    }}""")
    from_the_top(page)
    session = page.context.new_cdp_session(page)  # one for the walk: each costs as much as 2 Tabs
    try:
        for _ in range(0, limit, _TABS_AT_ONCE):
            press_tabs(session, _TABS_AT_ONCE)
            if page.evaluate("window.__kohoWalk.done"):
                break
    finally:
        session.detach()
    problems = page.evaluate(f"""() => {{
        const walk = window.__kohoWalk
        window.removeEventListener("keydown", walk.listener, true)
        if (!walk.done && !document.activeElement?.matches("[{_START}]")) walk.state()  // the last Tab's
        if (walk.left) {{ document.activeElement?.blur(); walk.state() }}  // the last stop, unfocused
        // Still shown at the end: Material's back-to-top button, say, shows only while the
        // page scrolls up, and the walk scrolls down.
        const missed = window.__kohoTargets.filter(el => !window.__kohoReached.has(el))
            .filter(el => el.checkVisibility({{visibilityProperty: true, opacityProperty: true}}))
        return window.__kohoProblems.concat(missed.slice(0, 5).map(el =>
            `Tab never reaches ${{describe(el)}}`))
        function describe(el) {{
            const text = (el.textContent || el.value || "").trim().slice(0, 30)
            return `<${{el.tagName.toLowerCase()}}> “${{text}}”`
        }}
    }}""")
    return sorted(set(problems))


# How many Tabs the keyboard walk sends at once before it asks the page whether focus has
# come round: presses past the end are held back by the listener, so they cost little.
_TABS_AT_ONCE = 16

_TAB_DOWN = {"type": "rawKeyDown", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}
_TAB_UP = {"type": "keyUp", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}


def press_tabs(session, count: int) -> None:
    """Press Tab `count` times, as real key events sent through a Chrome DevTools Protocol
    session of the page, one after another without waiting for each to be answered:
    Chromium handles them in order, exactly as one by one, but a round trip per key took
    most of the walk's time (44 Tabs: 0.85 s one by one, 0.12 s at once). Playwright's
    sync API cannot send without waiting, so this runs the gathered sends on its event
    loop (`_sync`, pinned Playwright version; a change there fails every keyboard test)."""
    sends = [session._impl_obj.send("Input.dispatchKeyEvent", event, None)
             for _ in range(count) for event in (_TAB_DOWN, _TAB_UP)]
    session._sync(asyncio.gather(*sends))

# The placeholder from_the_top() focuses before the first Tab.
_START = "data-koho-tab-start"


def from_the_top(page) -> None:
    """Make the next Tab go to the first control of the page, as on a freshly loaded page,
    whatever had focus before: focus a placeholder at the start of <body> that is out of
    the Tab order (tabindex -1), and remove it once Tab has left it."""
    page.evaluate(f"""() => {{
        document.activeElement?.blur()
        window.scrollTo(0, 0)
        const start = document.createElement("span")
        start.tabIndex = -1
        start.setAttribute("{_START}", "")
        start.style.position = "fixed"  // out of the layout
        start.addEventListener("blur", () => setTimeout(() => start.remove()), {{once: true}})
        document.body.prepend(start)
        start.focus({{preventScroll: true}})
    }}""")


# Focus styles are compared before and after blur(), so they must not be animated.
_NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"

# Runs for each Tab stop: records the focused element and whether its focus is visible.
# How a control looks focused is compared with how it looks once the next Tab has moved
# focus on (a blur() and focus() of each control cost a fifth of the walk).
_FOCUS_STATE = """() => {
    const walk = window.__kohoWalk
    if (walk.left) compare(walk.left)
    walk.left = null
    const el = document.activeElement
    // On <body>: past the last control, or the focused control was just hidden (Material
    // hides its back-to-top button as the page scrolls down). Tab goes on from there either
    // way, so the walk ends at the second <body> in a row or at a control reached before.
    walk.onBody = el === document.body || !el ? (walk.onBody || 0) + 1 : 0
    if (walk.onBody) return walk.onBody > 1 ? "wrapped" : "ok"
    if (window.__kohoReached.has(el)) return "wrapped"
    window.__kohoReached.add(el)
    const name = `<${el.tagName.toLowerCase()}> “${(el.textContent || el.value || '').trim().slice(0, 30)}”`
    const box = el.getBoundingClientRect()
    const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight &&
        box.right > 0 && box.left < innerWidth
    if (!onScreen) { window.__kohoProblems.push(`focus on ${name} is off screen or invisible`); return "ok" }
    walk.left = {el, name, focused: look(el)}
    return "ok"
    function look(e) {
        const s = getComputedStyle(e)
        return [s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 ? s.outlineColor : "",
                s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine, s.borderColor].join("|")
    }
    function compare({el, name, focused}) {
        if (el !== document.activeElement && look(el) === focused)
            window.__kohoProblems.push(`focus on ${name} is not visible`)
    }
}"""


def overflow(page, width: int) -> list[str]:
    """Nothing scrolls sideways at this viewport width (WCAG 1.4.10 at 320 px)."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll <= width:
        return []
    return [f"the page scrolls sideways: {scroll} CSS px wide in a {width} px window"]


def text_200(page, width: int) -> list[str]:
    """With text at 200%, nothing scrolls sideways (WCAG 1.4.4)."""
    page.evaluate("document.documentElement.style.fontSize = '250%'")  # Material's base is 125%
    problems = overflow(page, width)
    page.evaluate("document.documentElement.style.fontSize = ''")
    return [f"at 200% text, {problem[4:]}" for problem in problems]


def target_size(page) -> list[str]:
    """Every control is at least 24×24 CSS px, or has room around it, or is a link in
    a line of text (the exceptions of WCAG 2.5.8)."""
    return page.evaluate(f"""() => {{
        const min = {MIN_TARGET}
        const targets = [...document.querySelectorAll({_FOCUSABLE!r} + ", label[for]")]
            .filter(el => el.checkVisibility({{visibilityProperty: true, opacityProperty: true}}))
            .map(el => ({{el, box: el.getBoundingClientRect()}}))
            .filter(t => t.box.width > 0 && t.box.height > 0)
        // A link inside a sentence: its block has words of its own besides the controls.
        const inText = el => {{
            const block = el.closest("p, li, td, th, dd, dt, figcaption, blockquote")
            if (!el.matches("a") || !block) return false
            const rest = block.cloneNode(true)
            rest.querySelectorAll("a, button, input, select, label, rt, .koho-term__tip")
                .forEach(c => c.remove())
            return /[\\p{{L}}\\p{{N}}]/u.test(rest.textContent)
        }}
        const crowded = t => {{
            const cx = t.box.left + t.box.width / 2, cy = t.box.top + t.box.height / 2
            return targets.some(o => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) &&
                o.box.left < cx + min / 2 && o.box.right > cx - min / 2 &&
                o.box.top < cy + min / 2 && o.box.bottom > cy - min / 2)
        }}
        return targets
            .filter(t => (t.box.width < min || t.box.height < min) && !inText(t.el) && crowded(t))
            .slice(0, 5)
            .map(t => `<${{t.el.tagName.toLowerCase()}}> “${{t.el.textContent.trim().slice(0, 30)}}” is ` +
                 `${{Math.round(t.box.width)}}×${{Math.round(t.box.height)}} CSS px, ` +
                 "close to another control")
    }}""")


def languages(page, expected: str) -> list[str]:
    """The page's language is right, and text in another script is marked with its own
    language: kana only in Japanese, hangul only in Korean, kanji on English and Korean
    pages only in Japanese or Chinese, and English phrases on Japanese pages in English."""
    return page.evaluate("""expected => {
        const problems = []
        const pageLang = document.documentElement.lang
        if (pageLang !== expected) problems.push(`the page says lang="${pageLang}", expected "${expected}"`)
        const base = expected.split("-")[0]
        const rules = [
            [/[\\u3041-\\u3096\\u30a1-\\u30fa]/, ["ja"], "Japanese kana"],
            [/[\\uac00-\\ud7a3]/, ["ko"], "Korean"],
        ]
        if (base === "en" || base === "ko") rules.push([/[\\u4e00-\\u9fff]/, ["ja", "zh"], "kanji"])
        if (base === "ja") rules.push([/[A-Za-z]{2,}(?: [A-Za-z]{2,})+/, ["en"], "an English phrase"])
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
        for (let node; (node = walker.nextNode());) {
            const parent = node.parentElement
            if (!parent || parent.closest("script, style, code, pre, rt, [aria-hidden=true]")) continue
            if (!parent.checkVisibility({visibilityProperty: true})) continue
            const lang = (parent.closest("[lang]")?.lang || "").split("-")[0]
            for (const [pattern, allowed, what] of rules)
                if (!allowed.includes(base) && pattern.test(node.textContent) && !allowed.includes(lang))
                    problems.push(`${what} text without its lang: “${node.textContent.trim().slice(0, 40)}”`)
        }
        return [...new Set(problems)].slice(0, 8)
    }""", expected)


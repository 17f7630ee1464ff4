// Material's search worker, answered from Pagefind's split index instead of one big lunr index.
// Material's search box, shortcuts, keyboard navigation and result list post queries here with its worker
// protocol (SETUP, READY, QUERY, RESULT); Pagefind loads only the index chunks and fragments a query needs.

const SETUP = 0
const READY = 1
const QUERY = 2
const RESULT = 3
const SHOWN = 20 // results per query: each one costs one small fragment request
const CHECKED = 40 // fragments read at most to find them, when Pagefind's matches are not all real ones
const EXCERPT = 24 // words of the passage shown under a result
const LEAD = 3 // words of it before the first match, to read it in context

const root = new URL("../../", self.location) // this file is assets/javascripts/picks-search.js
let engine = null
let latest = 0
let showing = false // whether the list shows an answer to a query, which an empty query must clear

function pagefind() {
  engine ??= import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
    await module.options({ excerptLength: 24 })
    await module.init()
    return module
  })
  return engine
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

// Plain text with every query term marked, escaped piece by piece so a title can never become markup.
function highlight(text, terms) {
  const pattern = terms.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")
  if (!pattern) return escapeHTML(text)
  let html = ""
  let last = 0
  for (const match of text.matchAll(new RegExp(pattern, "giu"))) {
    html += `${escapeHTML(text.slice(last, match.index))}<mark data-md-highlight>${escapeHTML(match[0])}</mark>`
    last = match.index + match[0].length
  }
  return html + escapeHTML(text.slice(last))
}

// The passage of the page's text that holds the most of the query's words (the earliest of the best), with them
// marked. Pagefind's own excerpt may come from the title, which a result shows already, and miss the passage.
function passage(content, needed, terms) {
  const all = content.split(/\s+/).filter(Boolean)
  const held = all.map((word) => new Set(needed.filter((want) => holds(words(word), want))))
  let start = 0
  let best = 0
  held.forEach((found, i) => {
    if (!found.size) return
    const covered = new Set(held.slice(i, i + EXCERPT - LEAD).flatMap((set) => [...set]))
    if (covered.size > best) [start, best] = [Math.max(0, i - LEAD), covered.size]
  })
  const shown = all.slice(start, start + EXCERPT).join(" ")
  return `${start > 0 ? "… " : ""}${highlight(shown, terms)}${start + EXCERPT < all.length ? " …" : ""}`
}

// One pick as Material's SearchItem: title, then date and papers, authors, and the passage that matches.
function item(page, score, terms, needed) {
  const meta = page.meta
  const lines = [
    [meta.date, meta.papers].filter(Boolean).join(" · "),
    meta.authors || "",
  ].filter(Boolean)
  const text = lines.map((line) => `<p class="picks-search-meta">${highlight(line, terms)}</p>`).join("")
  return {
    location: meta.url, // site-relative: Material resolves it against the site's base
    title: highlight(meta.title || meta.url, terms),
    text: `${text}<p>${passage(page.content, needed, terms)}</p>`,
    score,
    terms: Object.fromEntries(terms.map((term) => [term, true])),
  }
}

// Whether a page really holds a word for the term: one that starts with the term, or shares its first four
// letters (the stem: "heads" finds "head"). Pagefind also answers a word it does not have with a shorter one
// it does ("drafty" with the initial "d."), which no reader would call a match.
function holds(words, term) {
  const wanted = term.toLocaleLowerCase()
  const need = Math.min(wanted.length, 4)
  return words.some((word) => {
    let same = 0
    while (same < word.length && same < wanted.length && word[same] === wanted[same]) same++
    return same >= need
  })
}

function words(text) {
  return text.toLocaleLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)
}

function wordsOf(page) {
  return words([page.content, ...Object.values(page.meta || {})].join(" "))
}

// The results of a query, or null when a newer query came in meanwhile (typing: each keystroke is a query).
// `total` is how many pages match, though only the best SHOWN are handed to Material (picks-search-count.js).
async function search(query, asked) {
  const terms = query.trim().split(/\s+/).filter(Boolean)
  if (!terms.length) return { items: [], total: 0 }
  const found = await (await pagefind()).search(query)
  if (asked !== latest) return null // its fragments would be loaded for nothing
  // A term is read as the page's text is: "GPT-2" and "in-context" are two words each, all of them needed.
  const needed = terms.flatMap(words)
  const kept = []
  let checked = 0
  let rejected = 0
  while (kept.length < SHOWN && checked < Math.min(found.results.length, CHECKED)) {
    const batch = found.results.slice(checked, checked + SHOWN - kept.length)
    const pages = await Promise.all(batch.map((result) => result.data()))
    if (asked !== latest) return null
    checked += batch.length
    pages.forEach((page, i) => {
      const held = wordsOf(page)
      if (needed.every((word) => holds(held, word))) kept.push(item(page, batch[i].score, terms, needed))
      else rejected++
    })
  }
  return { items: kept.map((found) => [found]), total: found.results.length - rejected }
}

self.addEventListener("message", async ({ data: message }) => {
  if (message.type === SETUP) {
    // Nothing is fetched yet: the engine and the index load with the first query.
    self.postMessage({ type: READY })
  } else if (message.type === QUERY) {
    const asked = ++latest
    const empty = !message.data.trim()
    // Material asks for "" as soon as it is ready. Answered after the reader started typing, that answer would
    // read "No matching documents" until the real one came: an empty list needs no answer to stay empty.
    if (empty && !showing) return
    let result = { items: [] }
    try {
      result = await search(message.data, asked)
    } catch (error) {
      console.error("search: Pagefind's index could not be read", error) // say so rather than hang
    }
    if (result && asked === latest) {
      showing = !empty
      self.postMessage({ type: RESULT, data: result })
    } // older answers are dropped
  }
})

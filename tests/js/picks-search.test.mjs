// The real search worker (theme/assets/javascripts/picks-search.js), run in Node against a Pagefind stand-in:
// Material's worker protocol in (QUERY), what Material shows out (RESULT). Run by tests/test_search_worker.py.
import assert from "node:assert/strict"
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { test } from "node:test"
import { fileURLToPath, pathToFileURL } from "node:url"

const WORKER = join(dirname(fileURLToPath(import.meta.url)), "../../theme/assets/javascripts/picks-search.js")
const SETUP = 0
const READY = 1
const QUERY = 2
const RESULT = 3

// A site folder with the worker at its place and a Pagefind module of the given source; `send` hands the worker
// one message and returns every message it posted since.
async function start(pagefindSource) {
  const site = mkdtempSync(join(tmpdir(), "picks-search-"))
  mkdirSync(join(site, "pagefind"))
  mkdirSync(join(site, "assets/javascripts"), { recursive: true })
  writeFileSync(join(site, "pagefind/pagefind.js"), pagefindSource)
  const file = join(site, "assets/javascripts/picks-search.mjs")
  copyFileSync(WORKER, file)
  const posted = []
  let listener = null
  globalThis.self = {
    location: pathToFileURL(file).href,
    addEventListener: (type, handler) => {
      if (type === "message") listener = handler // a worker's only event
    },
    postMessage: (message) => posted.push(message),
  }
  await import(pathToFileURL(file).href)
  return async (message) => {
    const before = posted.length
    await listener({ data: message })
    return posted.slice(before)
  }
}

// A Pagefind module that answers every query with `pages`, in order, as Pagefind's search() does (results whose
// data() loads the fragment): the worker must do the rest. It records its options and that it was loaded.
function pagefindOf(pages, { delays = {} } = {}) {
  return `const pages = ${JSON.stringify(pages)}
const delays = ${JSON.stringify(delays)}
globalThis.pagefindLoaded = true
export async function options(given) { globalThis.pagefindOptions = given }
export async function init() {}
export async function search(query) {
  const wait = delays[query] || 0
  return { results: pages.map((page, i) => ({
    score: 1 - i / 100,
    data: () => new Promise((done) => setTimeout(() => done(page), wait)),
  })) }
}`
}

async function worker(pages) {
  const send = await start(pagefindOf(pages))
  return async (query) => (await send({ type: QUERY, data: query })).at(-1) ?? null
}

function page(url, title, content, meta = {}) {
  return { url, content, excerpt: content.slice(0, 40), meta: { url, title, ...meta } }
}

const ENTROPY = page("picks/a/", "Entropy neurons", "Entropy neurons regulate confidence in language models.")
const ONLY_ENTROPY = page("picks/b/", "Entropy of heads", "The entropy of attention heads over training.")
const HEADS = page("picks/c/", "Induction head formation", "How an induction head forms.", { authors: "Ada Lovelace" })

test("a result holds every word of the query, not any of them", async () => {
  const ask = await worker([ONLY_ENTROPY, ENTROPY, HEADS])
  const answer = await ask("entropy neurons")
  assert.equal(answer.type, RESULT)
  assert.deepEqual(
    answer.data.items.map(([item]) => item.location),
    ["picks/a/"],
  )
  assert.equal(answer.data.total, 1) // Pagefind's three, less the two that lack a word
})

test("a word is found by its stem and in the authors", async () => {
  const ask = await worker([ENTROPY, HEADS])
  assert.deepEqual(
    (await ask("heads")).data.items.map(([item]) => item.location),
    ["picks/c/"],
  )
  assert.deepEqual(
    (await ask("lovelace")).data.items.map(([item]) => item.location),
    ["picks/c/"],
  )
  // Fields are read as separate words: the title's last word and the authors' first do not run together.
  assert.deepEqual(
    (await ask("ada")).data.items.map(([item]) => item.location),
    ["picks/c/"],
  )
})

test("the terms are marked in the title and a hostile title stays text", async () => {
  const hostile = page("picks/d/", "<img src=x onerror=alert(1)> entropy", "entropy")
  const ask = await worker([ENTROPY, hostile])
  const [[first], [second]] = (await ask("entropy")).data.items
  assert.equal(first.title, "<mark data-md-highlight>Entropy</mark> neurons")
  assert.equal(second.title, "&#60;img src=x onerror=alert(1)&#62; <mark data-md-highlight>entropy</mark>")
})

test("a matched term is escaped inside its mark too", async () => {
  // The term holds a quote and still matches ("heads" shares its first four letters with the page's word).
  const ask = await worker([page("picks/e/", "Induction heads' formation", "heads form")])
  const [[found]] = (await ask("heads'")).data.items
  assert.equal(found.title, "Induction <mark data-md-highlight>heads&#39;</mark> formation")
})

test("an empty query is answered only to clear a list that shows results", async () => {
  const ask = await worker([ENTROPY])
  assert.equal(await ask(""), null) // Material's first, empty query: no "No matching documents" flash
  assert.equal((await ask("entropy")).data.items.length, 1)
  assert.deepEqual((await ask("  ")).data, { items: [], total: 0 })
  assert.equal(await ask(""), null) // the list is empty again: nothing to clear
})

test("messages other than setting up and querying are not answered", async () => {
  const send = await start(pagefindOf([ENTROPY]))
  assert.deepEqual(await send({ type: 7, data: "entropy" }), [])
})

test("every term is marked, each as written and not as a pattern", async () => {
  const ask = await worker([page("picks/i/", "Entropy neurons, x.y and xzy", "entropy neurons x.y")])
  assert.equal(
    (await ask("entropy neurons")).data.items[0][0].title,
    "<mark data-md-highlight>Entropy</mark> <mark data-md-highlight>neurons</mark>, x.y and xzy",
  )
  assert.equal((await ask("x.y")).data.items[0][0].title, "Entropy neurons, <mark data-md-highlight>x.y</mark> and xzy")
})

test("a term with a hyphen or a dot is found as the words it holds", async () => {
  const gpt = page("picks/j/", "Circuits in GPT-2 small", "In-context learning in GPT-2 small.")
  const ask = await worker([gpt, ENTROPY])
  for (const query of ["GPT-2", "gpt-2 small", "in-context"]) {
    assert.deepEqual((await ask(query)).data.items.map(([item]) => item.location), ["picks/j/"], query)
  }
  assert.equal((await ask("GPT-2")).data.items[0][0].title, "Circuits in <mark data-md-highlight>GPT-2</mark> small")
})

test("setting up answers READY and loads nothing; the first query loads Pagefind with short excerpts", async () => {
  globalThis.pagefindLoaded = false
  const send = await start(pagefindOf([ENTROPY]))
  assert.deepEqual(await send({ type: SETUP }), [{ type: READY }])
  assert.equal(globalThis.pagefindLoaded, false)
  await send({ type: QUERY, data: "entropy" })
  assert.equal(globalThis.pagefindLoaded, true)
  assert.deepEqual(globalThis.pagefindOptions, { excerptLength: 24 })
})

test("a result shows its date and papers, then its authors, then the excerpt, the terms marked", async () => {
  const meta = { date: "11 April 2024", papers: "arXiv 2404.07129", authors: "Ada Lovelace" }
  const full = page("picks/f/", "Heads", "Lovelace on heads", meta)
  const bare = page("picks/g/", "Lovelace alone", "Lovelace")
  const ask = await worker([full, bare])
  const [[first], [second]] = (await ask("lovelace")).data.items
  assert.equal(
    first.text,
    '<p class="picks-search-meta">11 April 2024 · arXiv 2404.07129</p>' +
      '<p class="picks-search-meta">Ada <mark data-md-highlight>Lovelace</mark></p>' +
      "<p><mark data-md-highlight>Lovelace</mark> on heads</p>",
  )
  assert.deepEqual(first.terms, { lovelace: true })
  assert.equal(first.score, 1)
  assert.equal(second.text, "<p><mark data-md-highlight>Lovelace</mark></p>") // no empty lines for what it lacks
  const paperOnly = await worker([page("picks/h/", "P", "probe", { papers: "arXiv 1" })])
  assert.equal(
    (await paperOnly("probe")).data.items[0][0].text,
    '<p class="picks-search-meta">arXiv 1</p><p><mark data-md-highlight>probe</mark></p>',
  )
})

test("at most 20 are shown, found past Pagefind's false matches, and the count leaves those out", async () => {
  const fake = (n) => page(`picks/x${n}/`, `Other ${n}`, "nothing to see")
  const real = (n) => page(`picks/r${n}/`, `Probe ${n}`, "a probe")
  const ask = await worker([...Array.from({ length: 10 }, (_, n) => fake(n)), ...Array.from({ length: 35 }, (_, n) => real(n))])
  const answer = (await ask("probe")).data
  assert.equal(answer.items.length, 20)
  assert.equal(answer.items[0][0].location, "picks/r0/")
  assert.equal(answer.items[19][0].location, "picks/r19/")
  assert.equal(answer.total, 35) // 45 found by Pagefind, less the 10 read and refused
  // Past 40 fragments read it stops looking: 60 false matches first leave nothing shown.
  const far = await worker([...Array.from({ length: 60 }, (_, n) => fake(n)), real(0)])
  assert.deepEqual((await far("probe")).data, { items: [], total: 21 })
})

test("a query overtaken by a newer one is never answered", async () => {
  const send = await start(pagefindOf([ENTROPY, HEADS], { delays: { entropy: 40 } }))
  const slow = send({ type: QUERY, data: "entropy" }) // its fragments arrive after the next query's answer
  const fast = send({ type: QUERY, data: "heads" })
  const posted = [...(await slow), ...(await fast)]
  assert.deepEqual(
    posted.map((m) => m.data.items.map(([item]) => item.location)),
    [["picks/c/"]],
  )
  // Overtaken later, while its fragments load: still never answered.
  const again = await start(pagefindOf([ENTROPY, HEADS], { delays: { entropy: 60 } }))
  const loading = again({ type: QUERY, data: "entropy" })
  await new Promise((done) => setTimeout(done, 20)) // Pagefind has answered; the fragments are on their way
  await again({ type: QUERY, data: "heads" })
  const since = await loading // everything posted since the first query was sent: the second's answer only
  assert.deepEqual(since.map((m) => m.data.items.map(([item]) => item.location)), [["picks/c/"]])
})

test("an index that cannot be read answers an empty list and says why, rather than hang", async () => {
  const errors = []
  const console_error = console.error
  console.error = (...args) => errors.push(args.join(" "))
  try {
    const send = await start("export async function options() {}\nexport async function init() { throw new Error('404') }")
    const posted = await send({ type: QUERY, data: "entropy" })
    assert.deepEqual(posted, [{ type: RESULT, data: { items: [] } }])
    assert.match(errors[0], /^search: Pagefind's index could not be read/)
  } finally {
    console.error = console_error
  }
})

test("the passage shown is the one that holds the query's words, marked, not the text's first lines", async () => {
  const thanks = "Thanks @wesg52 for the pointer, and to the reading group for the long discussion of it. ".repeat(3)
  const content = `${thanks}Models regulate confidence. It finds entropy neurons in the last layer, which act on the norm. The end.`
  const ask = await worker([page("picks/k/", "Confidence regulation neurons", content)])
  const text = (await ask("entropy neurons")).data.items[0][0].text
  assert.equal(
    text,
    "<p>… confidence. It finds <mark data-md-highlight>entropy</mark> " +
      "<mark data-md-highlight>neurons</mark> in the last layer, which act on the norm. The end.</p>",
  )
  // A passage is escaped as any text: a page's "<" stays a character.
  const hostile = await worker([page("picks/l/", "T", "a <script>probe</script> b")])
  assert.equal(
    (await hostile("probe")).data.items[0][0].text,
    "<p>a &#60;script&#62;<mark data-md-highlight>probe</mark>&#60;/script&#62; b</p>",
  )
  // A long text: a window of 24 words around the match, "…" where the text goes on.
  const long = Array.from({ length: 60 }, (_, n) => `w${n}`)
  long[30] = "probe"
  const far = await worker([page("picks/m/", "T", long.join(" "))])
  const shown = (await far("probe")).data.items[0][0].text
  assert.equal(shown, `<p>… ${long.slice(27, 30).join(" ")} <mark data-md-highlight>probe</mark> ${long.slice(31, 51).join(" ")} …</p>`)
})

test("of passages holding as many of the words, the earliest; a word alone counts less than both", async () => {
  const text = Array.from({ length: 60 }, (_, n) => `w${n}`)
  text[10] = "entropy" // alone: 21 words on, "neurons" is just out of its passage
  text[31] = "neurons" // from here, both words within one passage
  text[50] = "entropy"
  text[51] = "neurons"
  const ask = await worker([page("picks/n/", "T", text.join(" "))])
  const shown = (await ask("entropy neurons")).data.items[0][0].text
  const marked = (word) => (word === "entropy" || word === "neurons" ? `<mark data-md-highlight>${word}</mark>` : word)
  assert.equal(shown, `<p>… ${text.slice(28, 52).map(marked).join(" ")} …</p>`)
  // Exactly a passage long, the match first: nothing before it, nothing after it, so no "…".
  const exact = Array.from({ length: 24 }, (_, n) => (n ? `w${n}` : "probe"))
  const whole = await worker([page("picks/o/", "T", exact.join(" "))])
  assert.equal(
    (await whole("probe")).data.items[0][0].text,
    `<p><mark data-md-highlight>probe</mark> ${exact.slice(1).join(" ")}</p>`,
  )
})

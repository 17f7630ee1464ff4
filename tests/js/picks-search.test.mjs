// The real search worker (theme/assets/javascripts/picks-search.js), run in Node against a Pagefind stand-in:
// Material's worker protocol in (QUERY), what Material shows out (RESULT). Run by tests/test_search_worker.py.
import assert from "node:assert/strict"
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { test } from "node:test"
import { fileURLToPath, pathToFileURL } from "node:url"

const WORKER = join(dirname(fileURLToPath(import.meta.url)), "../../theme/assets/javascripts/picks-search.js")
const QUERY = 2
const RESULT = 3

// A site folder with the worker at its place and a Pagefind module that answers every query with `pages`, in
// order, as Pagefind's search() does (results whose data() loads the fragment): the worker must do the rest.
async function worker(pages) {
  const site = mkdtempSync(join(tmpdir(), "picks-search-"))
  mkdirSync(join(site, "pagefind"))
  mkdirSync(join(site, "assets/javascripts"), { recursive: true })
  writeFileSync(
    join(site, "pagefind/pagefind.js"),
    `const pages = ${JSON.stringify(pages)}
export async function options() {}
export async function init() {}
export async function search() {
  return { results: pages.map((page, i) => ({ score: 1 - i / 100, data: async () => page })) }
}`,
  )
  const file = join(site, "assets/javascripts/picks-search.mjs")
  copyFileSync(WORKER, file)
  const posted = []
  let listener = null
  globalThis.self = {
    location: pathToFileURL(file).href,
    addEventListener: (type, handler) => (listener = handler),
    postMessage: (message) => posted.push(message),
  }
  await import(pathToFileURL(file).href)
  return async (query) => {
    const before = posted.length
    await listener({ data: { type: QUERY, data: query } })
    return posted.length > before ? posted.at(-1) : null
  }
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
})

// Material writes "N matching documents" from how many results it was handed. The search worker
// (picks-search.js) hands it the best 20 and says in `total` how many pages match: the count line says that.
const RESULT = 3
const NativeWorker = window.Worker
window.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args)
    this.addEventListener("message", ({ data: message }) => {
      const answer = message && message.type === RESULT ? message.data : null
      if (!answer || !(answer.total > answer.items.length)) return
      setTimeout(() => { // after Material has written its own count
        const meta = document.querySelector(".md-search-result__meta")
        if (meta) meta.textContent = `${answer.total} matching documents, the ${answer.items.length} best shown`
      })
    })
  }
}

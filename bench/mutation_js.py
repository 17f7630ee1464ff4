"""bench/MUTATION-JS.md from Stryker's last run over the search worker (make mutate-js): score and survivors triaged."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOP = "while (same < word.length && same < wanted.length && word[same] === wanted[same]) same++"
# Survivors no input can tell from the original, by (mutator, the line's code): why.
EQUIVALENT = {
    ("ConditionalExpression", "if (!pattern) return escapeHTML(text)"): "item() is only called with terms, so the "
    "pattern is never empty",
    ("LogicalOperator", LOOP): (
        "past either end the compared character is undefined, which equals no letter: the loop stops all the same"
    ),
    (
        "ConditionalExpression",
        "while (same < word.length && same < wanted.length && word[same] === wanted[same]) same++",
    ): ("as above: the character comparison stops the loop at the end of the shorter word"),
    ("EqualityOperator", LOOP): ("as above: one step past the end compares undefined, which stops the loop"),
    ("MethodExpression", "return text.toLocaleLowerCase().split(/[^\\p{L}\\p{N}]+/u).filter(Boolean)"): (
        "the empty strings filter(Boolean) drops are what the + would have merged"
    ),
    ("Regex", "return text.toLocaleLowerCase().split(/[^\\p{L}\\p{N}]+/u).filter(Boolean)"): (
        "a run of separators splits into empty strings, which filter(Boolean) drops"
    ),
    ("MethodExpression", "const all = content.split(/\\s+/).filter(Boolean)"): (
        "blanks at either end give empty words, which filter(Boolean) drops"
    ),
    ("Regex", "const all = content.split(/\\s+/).filter(Boolean)"): "runs of blanks give empty words, dropped as above",
    ("MethodExpression", "const terms = query.trim().split(/\\s+/).filter(Boolean)"): (
        "leading and trailing blanks give empty terms, which filter(Boolean) drops"
    ),
    ("Regex", "const terms = query.trim().split(/\\s+/).filter(Boolean)"): "as above, for runs of blanks",
    ("ConditionalExpression", "if (asked !== latest) return null"): "a stale answer is dropped again before it is "
    "posted (asked === latest below); this return only saves reading the fragments' words",
    ("UpdateOperator", "const asked = ++latest"): "counting down instead of up keeps every query's number distinct "
    "and the newest equal to latest",
    ("LogicalOperator", "if (result && asked === latest) {"): "search() returns null only for a stale query, which "
    "asked === latest already refuses",
    ("ConditionalExpression", "if (result && asked === latest) {"): "as above",
}


def main() -> None:
    report = json.loads((ROOT / "bench" / "out" / "stryker.json").read_text("utf-8"))
    rows, survivors = [], []
    for name, found in report["files"].items():
        lines = found["source"].split("\n")
        counts: dict[str, int] = {}
        for mutant in found["mutants"]:
            counts[mutant["status"]] = counts.get(mutant["status"], 0) + 1
            if mutant["status"] == "Survived":
                line = mutant["location"]["start"]["line"]
                code = lines[line - 1].strip().split(" //")[0]
                why = EQUIVALENT.get((mutant["mutatorName"], code), "NOT TRIAGED")
                survivors.append(f"| {name}:{line} | {mutant['mutatorName']} | `{code[:70]}` | {why} |")
        detected = counts.get("Killed", 0) + counts.get("Timeout", 0)
        total = detected + counts.get("Survived", 0) + counts.get("NoCoverage", 0)
        equivalent = sum("NOT TRIAGED" not in s for s in survivors)
        rows.append(
            f"| {name} | {total} | {counts.get('Killed', 0)} | {counts.get('Timeout', 0)} "
            f"| {counts.get('Survived', 0)} | {100 * detected / total:.1f} % | {equivalent} "
            f"| {100 * detected / (total - equivalent):.1f} % |"
        )
    sys.stdout.write(
        "# Mutation testing of the browser-side code\n\n"
        "`make mutate-js` runs Stryker (StrykerJS, command runner) over the search worker\n"
        "`theme/assets/javascripts/picks-search.js`: every mutant against node's tests of the real file\n"
        "(`node --test tests/js/`, the same tests `make test` runs through tests/test_search_worker.py). A timeout\n"
        "(a loop that no longer ends) counts as detected. `picks-search-count.js` runs only in a page (it wraps\n"
        "Material's Worker): the Chromium tests of tests/test_search.py cover it.\n\n"
        "| file | mutants | killed | timeout | survived | score | equivalent | without them |\n"
        "|---|---|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n\n## Survivors\n\n| where | mutator | code | why it is equivalent |\n|---|---|---|---|\n"
        + "\n".join(survivors)
        + "\n"
    )


if __name__ == "__main__":
    main()

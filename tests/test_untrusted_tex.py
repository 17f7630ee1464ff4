"""TeX's own input encodings (issue 33): every field that reaches picks.bib is inert under real latex + bibtex."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import yaml_quote
from generator.core.loader import LoadSettings, load_picks
from generator.outputs.bibtex import Citations
from generator.outputs.latex import encode_title
from generator.outputs.tex_math import safe_math

pytestmark = pytest.mark.skipif(
    not shutil.which("latex") and not os.environ.get("DAILY_PICKS_CI"), reason="latex missing (.ci/run installs it)"
)

# TeX's ^^ notation in its forms (^^5c is \, ^^7b and ^^7d are braces, ^^25 is %, ^^ before any other character is
# that character moved by 64), the characters TeX treats specially, and the words of an attack.
PIECES = [
    *("^", "^^", "^^5c", "^^7b", "^^7d", "^^25", "^^5cinput", "^^I", "^^?", "^^M"),
    *("%", "#", "~", "&", "_", "\\", "$", "{", "}", " ", "x", "2", "input", "/etc/hostname", "\\input", "'"),
]
HOSTILE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)
FIELDS = ("title", "math", "venue", "author", "url", "doi")
PLAIN = {"title": "A title", "math": "x", "venue": "ICML", "author": "Ada Lovelace", "url": "a", "doi": "a"}
SETTINGS = LoadSettings("UTC", "interpretability")
DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
%s
\begin{document}
\nocite{*}
\bibliographystyle{%s}
\bibliography{picks}
\end{document}
"""
# Where TeX may read from: its own installation and the job's files; anything else is a file an entry opened.
TEX_TREES = ("/usr/share/texlive/", "/usr/share/texmf/", "/var/lib/texmf/", "/etc/texmf/", "/usr/share/fonts/")


def _pick(day: int, values: dict[str, str]) -> str:
    q = yaml_quote
    return (
        f"---\ntitle: Pick {day}\ndate: 2024-04-{day:02d}\npapers:\n"
        f"  - title: {q(values['title'] + ' $' + values['math'] + '$ end')}\n"
        f"    authors: [{q(values['author'])}, Ada Lovelace]\n    year: 2024\n"
        f'    arxiv: "2404.{day:05d}"\n    venue: {q(values["venue"])}\n'
        f"    url: {q(f'https://x.org/{day}/' + values['url'])}\n"
        f"    doi: {q(f'10.1234/{day}.' + values['doi'])}\n---\n\nBody.\n"
    )


def _accepted_bib(folder: Path, drawn: list[dict[str, str]]) -> tuple[str, int]:
    """picks.bib of the picks as check lets them through: a field check refuses is written plainly instead,
    so every other hostile field of that pick still reaches BibTeX."""
    picks = folder / "picks"
    picks.mkdir()
    for day, values in enumerate(drawn, start=10):
        values = dict(values)
        for _ in range(len(FIELDS)):
            (picks / f"2024-04-{day:02d}-tex.md").write_text(_pick(day, values), "utf-8")
            errors = load_picks(picks, SETTINGS).errors
            if not errors:
                break
            for error in errors:
                name = error.field.rsplit(".", 1)[-1].split("[")[0]
                values[{"authors": "author"}.get(name, name)] = PLAIN[{"authors": "author"}.get(name, name)]
                if name == "title":
                    values["math"] = PLAIN["math"]
    loaded = load_picks(picks, SETTINGS)
    assert not loaded.errors, loaded.errors
    return Citations(loaded.picks).for_picks(loaded.picks), len(loaded.picks)


def _compile(folder: Path, style: str, url: bool) -> tuple[str, list[str]]:
    r"""latex, bibtex, latex with -recorder: the second run's log and every file the runs read. Without the url
    package, plainnat prints URLs and DOIs through its fallback \url and \doi, in which TeX reads ^^ as a
    character: a URL's _ or % may stop that document (as for any bibliography), but nothing may open a file."""
    packages = (r"\usepackage{url}" if url else "") + (r"\usepackage{natbib}" if style == "plainnat" else "")
    (folder / "doc.tex").write_text(DOCUMENT % (packages, style), "ascii")
    latex = ["latex", "-recorder", "-interaction=nonstopmode", *(["-halt-on-error"] if url else []), "doc.tex"]
    read: list[str] = []
    for command in (latex, ["bibtex", "doc"], latex):
        run = subprocess.run(command, cwd=folder, capture_output=True, encoding="utf-8", errors="replace", check=False)
        compiles = url or command[0] == "bibtex"
        assert run.returncode == 0 or not compiles, (command[0], style, run.stdout[-3000:], folder / "picks.bib")
        if command[0] == "latex":
            fls = (folder / "doc.fls").read_text("utf-8", errors="replace").splitlines()
            read += [line.split(" ", 1)[1] for line in fls if line.startswith("INPUT ")]
    return (folder / "doc.log").read_text("utf-8", errors="replace"), read


def _foreign(folder: Path, read: list[str]) -> list[str]:
    own = {str(folder / name) for name in ("doc.tex", "doc.aux", "doc.bbl", "picks.bib")} | {
        "doc.tex",
        "doc.aux",
        "doc.bbl",
        "./doc.tex",
        "./doc.aux",
        "./doc.bbl",
    }
    return [path for path in read if path not in own and not path.startswith(TEX_TREES)]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.lists(st.fixed_dictionaries({name: HOSTILE for name in FIELDS}), min_size=4, max_size=4))
@example(
    drawn=[
        {**PLAIN, "math": "^^5cinput^^7b/etc/hostname^^7d"},  # the attack of the corpus, in title math
        {**PLAIN, "url": "^^5cinput^^7b/etc/hostname^^7d"},  # through plainnat's fallback \url
        {**PLAIN, "venue": "^^5cinput^^7b/etc/hostname^^7d", "author": "^^5cinput ^^7bx^^7d", "title": "^^25x"},
        {**PLAIN, "doi": "^^5cinput^^7b/etc/hostname^^7d"},  # through plainnat's fallback \doi
    ]
)
@pytest.mark.parametrize(
    ("style", "url"), [("plain", True), ("plainnat", True), ("plainnat", False)], ids=["plain", "plainnat", "no-url"]
)
def test_every_bibtex_field_is_inert_under_real_latex(tmp_path_factory, style: str, url: bool, drawn) -> None:
    folder = tmp_path_factory.mktemp("tex")
    bib, count = _accepted_bib(folder, drawn)
    (folder / "picks.bib").write_text(bib, "utf-8")
    _, read = _compile(folder, style, url)
    assert _foreign(folder, read) == [], bib
    assert not any("hostname" in path for path in read)
    assert (folder / "doc.bbl").read_text("utf-8", errors="replace").count("\\bibitem") == count


@pytest.mark.parametrize(
    ("math", "safe"),
    [
        ("x^2", True),
        ("x^{2}_i", True),
        ("x'^2", True),
        (r"\left( x \right)", True),
        (r"\frac{a}{b}", True),
        (r"\text{softmax}(x)", True),
        ("^^5cinput", False),  # TeX's encoding of a backslash
        ("x^^7b", False),
        ("x^", False),  # a script with nothing to take
        ("x_", False),
        ("x^2^3", False),  # a double superscript stops latex
        ("x_1_2", False),
        ("x^2'", False),
        (r"\left( x", False),  # \left without its \right
        (r"x \right)", False),
        (r"\frac{a}", False),  # an argument missing
        (r"\text{a_b}", False),  # text mode: no scripts
        ("{x}^{y}_{z}", True),
    ],
)
def test_title_math_is_a_well_formed_subset(math: str, safe: bool) -> None:
    assert safe_math(math) is safe
    assert (f"${math}$" in encode_title(f"A ${math}$ b")) is safe


# The subset's edges, case by case (each from a mutant of tex_math.py that survived the table above): what TeX
# itself accepts is kept, what stops it or reads past the math is encoded as text; never an exception.
EDGES = [
    ("^2", True),  # a script with an empty nucleus: TeX allows it
    ("_1", True),
    ("x''", True),  # primes
    ("x_1'", True),
    ("x^{}", True),
    (r"{\left( x \right)}", True),
    (r"\left( \left[ x \right] \right)", True),
    ("a~b", True),  # a tie between atoms
    ("a~", True),
    (r"\text{a}b", True),
    (r"{a}\text{b}", True),  # \text's argument is the group after it, not the first one of the title
    (r"\left( a \right x", False),  # \right takes a delimiter too
    (r"\frac a b", True),
    ("'x", False),  # a prime with nothing before it
    ("x^~", False),  # a tie as a script
    ("~^2", False),
    ("x~^2", False),
    ("x~_1", False),
    ("x~'", False),
    ("x^}", False),
    ("x^_", False),
    (r"\left x \right)", False),  # \left takes a delimiter
    (r"x \left", False),
    (r"\sqrt\left( x \right)", False),  # \left is never an argument
    (r"\text{a", False),
    (r"x\text", False),
    (r"\text{^}", False),
    (r"\text{a}^", False),
]


@pytest.mark.parametrize(("math", "safe"), EDGES)
def test_title_math_at_the_edges_of_the_subset(math: str, safe: bool) -> None:
    assert safe_math(math) is safe


def test_every_edge_the_subset_keeps_compiles_in_real_latex(tmp_path: Path) -> None:
    """With amsmath and amssymb, as the papers citing them load (\\text, \\mathbb are theirs)."""
    kept = [math for math, safe in EDGES if safe]
    preamble = "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
    document = preamble + "\n\n".join(f"${m}$" for m in kept) + "\n\\end{document}\n"
    (tmp_path / "doc.tex").write_text(document, "ascii")
    run = subprocess.run(
        ["latex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]

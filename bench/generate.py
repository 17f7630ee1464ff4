"""Write N realistic, deterministic picks (seeded) for benchmarks: ``python bench/generate.py N OUT``."""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

TOPICS = [
    "induction heads",
    "circuits",
    "sparse autoencoders",
    "superposition",
    "probing",
    "logit lens",
    "attention heads",
    "feed-forward layers",
    "factual recall",
    "model editing",
    "steering",
    "features",
    "training dynamics",
    "grokking",
    "in-context learning",
    "tools",
    "surveys",
    "attribution",
    "activation patching",
    "causal tracing",
    "state space models",
    "tokenization",
    "memorization",
    "multilinguality",
    "hallucinations",
    "safety",
    "chain of thought",
    "scaling laws",
    "vision transformers",
    "RLHF",
]
GIVEN = [
    "Ada",
    "Alan",
    "Grace",
    "Łukasz",
    "Gonçalo",
    "Jörg",
    "Zoë",
    "Marta",
    "Javier",
    "Elena",
    "Noah",
    "Aarav",
    "Chloé",
    "Søren",
    "Björn",
    "Ines",
    "Mei",
    "Rahul",
    "Kenji",
    "Olga",
]
FAMILY = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Kaiser",
    "Paulo",
    "Müller",
    "Costa-jussà",
    "Ferrando",
    "Voita",
    "Smith",
    "Patel",
    "Dubois",
    "Kierkegaard",
    "Sørensen",
    "García",
    "Nakamura",
    "Ivanova",
    "Chen",
    "Okafor",
    "Schmidt",
]
WORDS = [
    "model",
    "layer",
    "attention",
    "head",
    "circuit",
    "feature",
    "neuron",
    "residual",
    "stream",
    "token",
    "probe",
    "vector",
    "direction",
    "activation",
    "gradient",
    "training",
    "loss",
    "prediction",
    "representation",
    "mechanism",
    "ablation",
    "patching",
    "logit",
    "embedding",
    "sparse",
    "dictionary",
    "context",
    "memory",
    "recall",
    "edit",
    "behaviour",
    "evidence",
    "analysis",
    "result",
]
ODD_TITLES = ["Cats & Dogs <in> context", "100% of heads_are {redundant}", "Attention is $O(n^2)$, or is it?"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paper(rng: random.Random, day: date, serial: int) -> str:
    authors = ", ".join(f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(rng.randint(2, 8)))
    title = sentence(rng, 4, 10)[:-1].replace('"', "")
    arxiv = f"{day:%y%m}.{serial % 100000:05d}"
    venue = rng.choice(["", "", "ICML 2024", "NeurIPS 2023", "ICLR 2025", "ACL 2024"])
    lines = [f'  - title: "{title}"', f"    authors: [{authors}]", f"    year: {day.year}", f'    arxiv: "{arxiv}"']
    return "\n".join(lines + ([f"    venue: {venue}"] if venue else []))


def pick(rng: random.Random, day: date, index: int) -> str:
    title = rng.choice(ODD_TITLES) if index % 97 == 0 else sentence(rng, 3, 9)[:-1]
    tags = rng.sample(TOPICS, rng.randint(2, 4))
    papers = "\n".join(paper(rng, day, index * 2 + k + 1) for k in range(rng.choice([1, 1, 1, 1, 2])))
    words, paragraphs = rng.randint(150, 400), []
    while sum(len(p.split()) for p in paragraphs) < words:
        paragraphs.append(" ".join(sentence(rng, 8, 18) for _ in range(rng.randint(2, 4))))
    findings = "\n".join(f"- {sentence(rng, 6, 14)}" for _ in range(rng.randint(2, 4)))
    title_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (
        f"---\ntitle: {title_yaml}\ndate: {day.isoformat()}\ntags: [{', '.join(tags)}]\npapers:\n{papers}\n---\n\n"
        + "\n\n".join(paragraphs)
        + f"\n\nNotable findings:\n\n{findings}\n"
    )


def generate(count: int, out: Path, seed: int = 2024) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    day, written = date(2015, 1, 1), []
    for index in range(count):
        if rng.random() > 0.1:  # about one day in ten has two picks
            day += timedelta(days=1)
        path = out / str(day.year) / f"{day.isoformat()}-pick-{index:05d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(pick(rng, day, index), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print(len(generate(args.count, args.out, args.seed)), "picks in", args.out)

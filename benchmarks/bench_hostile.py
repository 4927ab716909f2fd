"""What hostile inputs cost: runs without a space in the tokenizer, then unpunctuated
articles through the whole pipeline.

spaCy's tokenizer rescans the rest of a run for every token it splits off, so a run of
punctuation or quotation marks costs quadratic time; ``presslens.nlp.BoundedTokenizer`` cuts
runs of ``LONG_RUN`` characters or more into pieces. For each kind of run and length this
prints the seconds spaCy's own tokenizer takes and the seconds the bounded one takes (the
unbounded column stops growing once a run takes over a minute). Then it analyses articles
of a few thousand words with no full stop, where the attribution and quantity stages' parse
walks used to cost quadratic time (37 s and 18 s before their sentence bounds), and
articles of thousands of candidates — a reporting clause repeated 8,000 times, 5,000
numbers with units — whose candidate comparisons, content clips, nesting marks and time
links used to cost quadratic time too (54 s and 148 s before they were indexed), and prints
their seconds. Usage::

    .venv/bin/python benchmarks/bench_hostile.py [MAX_CHARS]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from presslens.nlp import load_nlp
from presslens.settings import load_settings

RUNS = {
    "quotation marks": "“”",
    "punctuation": '!?.,;:"()',
    "letters": "ab",
    "hyphenated words": "anti-",
}


def seconds(tokenize: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    tokenize(text)
    return time.perf_counter() - start


def main() -> None:
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 16_000
    nlp = load_nlp(load_settings().spacy_model)
    bounded, raw = nlp.tokenizer, nlp.tokenizer.tokenizer
    print(f"{'run':18} {'chars':>7} {'spaCy s':>9} {'bounded s':>10}")
    for name, unit in RUNS.items():
        slow = False
        length = 2_000
        while length <= top:
            text = f"Anna Koval said {(unit * length)[:length]} and left."
            plain = "skipped" if slow else f"{seconds(raw, text):.3f}"
            slow = slow or (plain != "skipped" and float(plain) > 60)
            print(f"{name:18} {length:>7} {plain:>9} {seconds(bounded, text):>10.3f}", flush=True)
            length *= 2
    from presslens.api import analyze

    analyze("Anna Koval said the port reopens.")  # load every model first
    articles = {
        "unpunctuated cues": " ".join(["according to data from the bureau, according to"] * 800),
        "a run of numbers": "Anna Koval said " + " ".join(["1"] * 5000) + " people came.",
        "one long sentence": "Koval said " + " ".join(["the harbour and the port"] * 2000) + ".",
        "repeated cues": " ".join(["THE MINISTER SAID"] * 8000),
        "numbers and units": " ".join(f"{i}% of $ {i} million people died" for i in range(5000)),
    }
    print(f"\n{'article':18} {'words':>7} {'seconds':>9}")
    for name, text in articles.items():
        start = time.perf_counter()
        analyze(text)
        print(f"{name:18} {len(text.split()):>7} {time.perf_counter() - start:>9.2f}", flush=True)


if __name__ == "__main__":
    main()

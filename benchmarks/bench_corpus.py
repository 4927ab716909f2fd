"""Time and peak memory of corpus entity resolution and story clustering on synthetic articles.

Articles are generated (no spaCy): each belongs to one of ``n / 8`` synthetic events with its
own words, people (written with transliteration variants: Mohamed/Mohammad, doubled letters),
places and dates, and carries an ``entities`` layer and clusters like the pipeline's. Every size
runs in its own process so peak RSS is that size's alone. Articles are generated and digested
one at a time (the digest is all the corpus stages keep), then entities are resolved, near-
duplicates grouped and stories clustered incrementally. B³ F1 against the generating events is
printed as a sanity check of the synthetic task, not as an accuracy claim.

    nice -n 10 .venv/bin/python benchmarks/bench_corpus.py            # 10k and 100k
    .venv/bin/python benchmarks/bench_corpus.py --sizes 2000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

from presslens.corpus.digest import digest
from presslens.corpus.minhash import near_duplicate_groups
from presslens.corpus.resolve import resolve_entities
from presslens.corpus.stories import StoryIndex, article_entities
from presslens.eval.stories import b_cubed, pairwise
from presslens.model import Article, Cluster, Published

FIRST = ["Mohamed", "Anna", "Josef", "Lena", "Omar", "Sara", "Ivan", "Maria", "Hassan",
         "Elif", "Tomas", "Nadia", "Karim", "Olga", "Pavel", "Yusuf", "Ines", "Marek", "Leila",
         "Ali"]  # fmt: skip
VARIANTS = {"Mohamed": ["Mohammad", "Muhammad"], "Yusuf": ["Youssef"], "Hassan": ["Hasan"],
            "Josef": ["Yosef"], "Ali": ["Aly"]}  # fmt: skip
SYLLABLES = ["ka", "ri", "mo", "ta", "len", "dar", "vik", "sol", "an", "bel", "tor", "qui", "zan",
             "fer", "gol", "hu", "lin", "mar", "nor", "pes"]  # fmt: skip
COMMON = ["said", "officials", "report", "city", "government", "people", "week", "police",
          "statement", "told", "local", "according", "public", "national", "group", "country",
          "minister", "support", "plan", "security"]  # fmt: skip


def _word(rng: random.Random, k: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(k))


def _events(n_events: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    events = []
    for i in range(n_events):
        people = [(rng.choice(FIRST), _word(rng).capitalize()) for _ in range(3)]
        events.append(
            {
                "id": i,
                "words": [_word(rng) for _ in range(12)],
                "people": people,
                "place": _word(rng, 2).capitalize() + "ville",
                "org": _word(rng, 2).capitalize() + " Authority",
                "day": start + timedelta(days=rng.randrange(900)),
            }
        )
    return events


def _article(ev: dict, k: int, rng: random.Random) -> Article:
    """One article about event ``ev``: text from its words and common words, entity spans."""
    pieces: list[tuple[str, str | None, str | None]] = []  # (text, cluster id, label)
    people = []
    for j, (first, last) in enumerate(ev["people"]):
        if rng.random() < 0.7:
            spelled = rng.choice([first, *VARIANTS.get(first, [])])
            people.append((f"p{j}", f"{spelled} {last}", last))
    for _s in range(8):
        words = rng.sample(ev["words"], 4) + rng.sample(COMMON, 4)
        rng.shuffle(words)
        pieces.append((" ".join(words) + " ", None, None))
        if people and rng.random() < 0.6:
            cid, full, last = rng.choice(people)
            pieces.append((full, cid, "PERSON"))
            pieces.append((" met ", None, None))
            pieces.append((last, cid, "PERSON"))
        pieces.append((" in ", None, None))
        pieces.append((ev["place"], "g", "GPE"))
        pieces.append((" with the ", None, None))
        pieces.append((ev["org"], "o", "ORG"))
        pieces.append((". ", None, None))
    text = "".join(p for p, _, _ in pieces)
    art = Article(id=f"a{ev['id']}x{k}", text=text, outlet=f"Outlet {rng.randrange(20)}",
                  source="<bench>")  # fmt: skip
    day = ev["day"] + timedelta(days=rng.randrange(4))
    art.published = Published(date=day, source="header")
    pos = 0
    mentions: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    for p, cid, label in pieces:
        if cid and label:
            mentions.setdefault(cid, []).append(
                art.add("entities", art.span(pos, pos + len(p), label, entity=cid))
            )
            labels[cid] = label
        pos += len(p)
    for cid, idxs in mentions.items():
        variants: dict[str, int] = {}
        for i in idxs:
            s = art.layers["entities"][i].text
            variants[s] = variants.get(s, 0) + 1
        name = max(variants, key=len)
        art.clusters.append(
            Cluster(id=cid, label=labels[cid], name=name, mentions=idxs, variants=variants)
        )
    return art


def run(n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    events = _events(max(1, n // 8), seed)
    t0 = time.perf_counter()
    digests = []
    gold = {}
    for k in range(n):
        ev = events[rng.randrange(len(events))]
        art = _article(ev, k, rng)
        digests.append(digest(art))
        gold[art.id] = str(ev["id"])
    t_digest = time.perf_counter() - t0
    t1 = time.perf_counter()
    res = resolve_entities(digests)
    t_resolve = time.perf_counter() - t1
    t2 = time.perf_counter()
    groups = near_duplicate_groups((d["id"], d["minhash"]) for d in digests)
    t_dups = time.perf_counter() - t2
    t3 = time.perf_counter()
    idx = StoryIndex()
    labels = idx.options.entity_labels
    idx.add_batch(digests, {d["id"]: article_entities(d, res, labels) for d in digests})
    t_stories = time.perf_counter() - t3
    ids = [d["id"] for d in digests]
    pred = [idx.assignment[i] for i in ids]
    g = [gold[i] for i in ids]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "articles": n,
        "digest_s": round(t_digest, 1),
        "resolve_s": round(t_resolve, 1),
        "near_duplicates_s": round(t_dups, 1),
        "stories_s": round(t_stories, 1),
        "entities": len(res.entities),
        "merged_entities": sum(1 for e in res.entities if e["merges"]),
        "stories": len(idx.stories),
        "events": len(set(g)),
        "dup_groups": len(groups),
        "b3_f1": b_cubed(pred, g)["f1"],
        "pairwise_f1": pairwise(pred, g)["f1"],
        "peak_rss_mb": round(peak_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one)))
        return
    print("articles  digest s  resolve s  dups s  stories s  entities (merged)  stories/events  "
          "B3 F1  peak RSS MB")  # fmt: skip
    for n in (int(x) for x in args.sizes.split(",")):
        done = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True,
                              text=True, check=True)  # fmt: skip
        r = json.loads(done.stdout.strip().splitlines()[-1])
        cols = (
            f"{r['articles']:>8}  {r['digest_s']:>8}  {r['resolve_s']:>9}",
            f"{r['near_duplicates_s']:>6}  {r['stories_s']:>9}",
            f"{r['entities']:>8} ({r['merged_entities']})  {r['stories']:>7}/{r['events']:<7}",
            f"{r['b3_f1']:.3f}  {r['peak_rss_mb']:>11}",
        )
        print("  ".join(cols))


if __name__ == "__main__":
    main()

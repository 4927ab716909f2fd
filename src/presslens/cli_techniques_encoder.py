"""``presslens train techniques-encoder``: fine-tune the MiniLM span tagger of
``presslens.techniques.v3`` (needs torch; scoring and analysing do not)."""

from __future__ import annotations

from pathlib import Path

import click

from presslens.cli_common import not_nan, out
from presslens.cli_rhetoric import DEFAULT_DATA, _train

__all__ = ["register", "train_techniques_encoder_cmd"]


@click.command("techniques-encoder")
@click.option(
    "--data",
    default=DEFAULT_DATA / "semeval2023",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="SemEval-2023 Task 3 folder (articles and subtask-3 spans).",
)
@click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write techniques_encoder.npz into [default: the package's data/ folder].",
)
@click.option(
    "--epochs",
    type=click.IntRange(min=1),
    default=None,
    help="Training epochs (the best on tune is kept) [default: 4].",
)
@click.option(
    "--frozen",
    type=click.IntRange(0, 12),
    default=None,
    help="Lower encoder layers kept frozen (fewer: slower, larger artifact) "
    "[default: 1 of MiniLM's 6, 7 of MPNet's 12].",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Use only the first N train articles."
)
@click.option(
    "--threads", type=click.IntRange(min=1), default=2, show_default=True, help="torch threads."
)
@click.option(
    "--aux-weight",
    type=click.FloatRange(min=0),
    callback=not_nan,
    default=None,
    help="Weight of the auxiliary technique and sentence head's loss (0: off) "
    "[default: the trainer's AUX_WEIGHT].",
)
@click.option("--seed", type=int, default=None, help="Random seed [default: the trainer's].")
@click.option(
    "--base",
    type=click.Choice(["minilm", "mpnet"]),
    default="minilm",
    show_default=True,
    help="Encoder to fine-tune: minilm (all-MiniLM-L6-v2, writes techniques_encoder.npz for "
    "techniques.v3) or mpnet (all-mpnet-base-v2, writes techniques_encoder_mpnet.npz for "
    "techniques.v4).",
)
@click.option(
    "--unlabelled",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Self-training (--base mpnet only): unlabelled articles (SemEval-2019 Task 4 "
    "by-article XML or a folder of .txt) join the train part, labelled by the shipped v4 "
    "tagger's probabilities.",
)
@click.option(
    "--unlabelled-limit",
    type=click.IntRange(0),
    default=None,
    help="Use N of the unlabelled articles, drawn with the seed [default: all].",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def train_techniques_encoder_cmd(
    data: Path,
    out_dir: Path | None,
    epochs: int | None,
    frozen: int | None,
    limit: int | None,
    threads: int,
    aux_weight: float | None,
    seed: int | None,
    base: str,
    unlabelled: Path | None,
    unlabelled_limit: int | None,
    as_json: bool,
) -> None:
    """Fine-tune the upper MiniLM layers as a technique span tagger on SemEval-2023 train
    minus the fixed dev split (a tenth of train held out to choose the epoch and decoding
    thresholds); write data/techniques_encoder.npz for presslens.techniques.v3. Needs torch
    (a training-only extra). About 3 minutes per epoch on a quiet 2-core machine with the
    defaults (one frozen layer), several times that on a busy one. With --base mpnet: the
    upper five layers of all-mpnet-base-v2, data/techniques_encoder_mpnet.npz for
    presslens.techniques.v4, about 13 minutes per epoch.

    \b
    Examples:
      presslens train techniques-encoder --data ../shared/data/semeval2023 --out /tmp/models
      presslens train techniques-encoder --base mpnet --out /tmp/models
      presslens train techniques-encoder --base mpnet --out /tmp/models \\
        --unlabelled ../shared/data/hyperpartisan/articles-training-byarticle-20181122.xml
    """
    from presslens.train.techniques_encoder import train_encoder_tagger

    shipped_frozen, shipped_epochs = {"minilm": (1, 4), "mpnet": (7, 4)}[base]
    frozen = shipped_frozen if frozen is None else frozen
    epochs = shipped_epochs if epochs is None else epochs
    extra = {k: v for k, v in (("aux_weight", aux_weight), ("seed", seed)) if v is not None}
    s = _train(
        "techniques-encoder", train_encoder_tagger, data, out_dir, as_json,
        epochs=epochs, frozen=frozen, limit=limit, threads=threads, base=base,
        unlabelled=unlabelled, unlabelled_limit=unlabelled_limit, **extra,
    )  # fmt: skip
    if s is not None:
        out.print(
            f"wrote {s['out']} ({s['bytes']:,} bytes): {s['train_articles']} train articles, "
            f"epoch {s['epoch']} kept; threshold {s['threshold']}, extend {s['extend']}; "
            f"tune SI F1 {s['tune_si_f1']:.3f} on {s['tune_articles']} held-out train articles"
        )
        if "unlabelled_skipped" in s:
            skipped = s["unlabelled_skipped"]
            out.print(
                f"{s['unlabelled_articles']} unlabelled articles joined the train part; "
                f"{len(skipped)} skipped (no usable text){': ' if skipped else ''}"
                + ", ".join(skipped[:10])
            )


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add ``techniques-encoder`` to the ``train`` group (created when missing)."""
    del eval_group  # scoring goes through `presslens eval techniques --impl`
    train_group = main.commands.get("train")
    if not isinstance(train_group, click.Group):
        train_group = click.Group(
            "train", help="Reproduce the package's trained artifacts from their data."
        )
        main.add_command(train_group)
    train_group.add_command(train_techniques_encoder_cmd, "techniques-encoder")

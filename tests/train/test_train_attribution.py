"""Training the attribution scorer: artifact format, determinism, the shipped artifact.

The full model is never retrained here: training runs on a hand-made BRAT set of three
articles; the shipped artifact is only loaded and checked.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.errors import ConfigError
from presslens.model import Article
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.attributions import (
    SCORER_RESOURCE,
    AttributionOptions,
    LearnedScorer,
    extract_attributions,
    load_learned_scorer,
)
from presslens.stages.entities import make_entities_stage
from presslens.train.attribution import (
    THRESHOLDS,
    TRAIN_THRESHOLDS,
    data_fingerprint,
    fit_logistic,
    train_attribution,
)

POLNEAR_TRAIN = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polnear" / "train"

ARTICLES = {
    "a_one": (
        "Anna Koval said that the bridge was closed. The mayor endorsed the plan.",
        [("Source", "Anna Koval"), ("Cue", "said"), ("Content", "that the bridge was closed")],
    ),
    "b_two": (
        "“We will win,” Peter Marsh said. Critics argued that the plan failed.",
        [("Source", "Peter Marsh"), ("Cue", "said"), ("Content", "“We will win,”")],
    ),
    "c_three": (
        "The senator voted for the bill. According to the police, the road is open.",
        [("Source", "the police"), ("Cue", "According to"), ("Content", "the road is open")],
    ),
}


def write_split(folder: Path, stems: list[str]) -> Path:
    """A PolNeAR-style split: text/<stem>.txt and attributions/<stem>_ann1.ann."""
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    for stem in stems:
        text, roles = ARTICLES[stem]
        (folder / "text" / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")
        lines, ids = [], {}
        for n, (role, surface) in enumerate(roles, start=1):
            start = text.index(surface)
            lines.append(f"T{n}\t{role} {start} {start + len(surface)}\t{surface}")
            ids[role] = f"T{n}"
        cue = text.index(roles[1][1])
        lines.append(f"T9\tAttribution {cue} {cue + len(roles[1][1])}\t{roles[1][1]}")
        lines.append(
            f"E1\tAttribution:T9 Content:{ids['Content']} Cue:{ids['Cue']} Source:{ids['Source']}"
        )
        (folder / "attributions" / f"{stem}_ann1.ann").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("polnear")
    write_split(root / "train", ["a_one", "b_two"])
    write_split(root / "dev", ["c_three"])
    return root


@pytest.fixture(scope="module")
def trained(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("out") / "scorer.json"
    summary = train_attribution(tiny / "train", tiny / "dev", out, Settings())
    return summary, out


def test_artifact_has_version_fingerprint_weights_and_threshold(
    trained: tuple[dict, Path], tiny: Path
) -> None:
    summary, out = trained
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert isinstance(data["cue_steps"], dict)
    assert isinstance(data["content_drops"], dict)
    assert isinstance(data["content_edges"], dict)
    assert data["content_edges_examples"] >= len(data["content_edges"]) // 20
    assert isinstance(data["cue_edges"], dict)
    assert data["cue_edges_examples"] > 0  # every gold cue's alternatives are examples
    assert data["train_data"] == data_fingerprint(tiny / "train")
    assert data["train_data"]["files"] == 4
    assert isinstance(data["weights"], dict) and data["weights"]
    assert 0 < data["threshold"] < 1
    assert set(data["dev"]) == {
        "source_exact_f1",
        "cue_exact_f1",
        "content_exact_f1",
        "content_overlap_f1",
    }
    assert summary["bytes"] == out.stat().st_size
    assert isinstance(LearnedScorer.from_dict(data), LearnedScorer)
    # the threshold is cross-validated on train; dev is reported with what it alone would pick
    assert data["threshold"] in TRAIN_THRESHOLDS
    assert set(data["train_cv"]) == set(data["dev"])
    assert data["dev_best_threshold"] in THRESHOLDS
    assert isinstance(data["stack"], dict)


def test_training_twice_on_the_same_data_writes_the_same_file(
    trained: tuple[dict, Path], tiny: Path, tmp_path: Path
) -> None:
    _, first = trained
    again = tmp_path / "again.json"
    train_attribution(tiny / "train", tiny / "dev", again, Settings())
    assert again.read_bytes() == first.read_bytes()


def test_fingerprint_changes_with_the_files(tmp_path: Path) -> None:
    split = write_split(tmp_path / "s", ["a_one"])
    before = data_fingerprint(split)
    (split / "text" / "a_one.txt").write_text("Changed.\n", encoding="utf-8")
    assert data_fingerprint(split) != before


def test_logistic_regression_separates_a_separable_feature() -> None:
    w = fit_logistic([[0, 1], [0, 1], [0, 2], [0, 2]], [1, 1, 0, 0], 3, steps=300)
    assert w[1] > 0 > w[2]


def test_a_file_of_another_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="format"):
        LearnedScorer.from_dict({"version": 99, "weights": {}}, "x.json")


def test_shipped_artifact_loads_and_is_small() -> None:
    ref = resources.files("presslens").joinpath(SCORER_RESOURCE)
    assert len(ref.read_bytes()) < 1_500_000  # about 1.4 MB: four models' weights as JSON
    scorer = load_learned_scorer()
    assert scorer.weights and 0 < scorer.threshold < 1
    assert scorer.meta["version"] == 2
    assert scorer.cue_edges and scorer.content_drops and scorer.content_edges
    assert not scorer.cue_steps  # v8: the cue-edge chooser replaced the unit widening
    assert "content_edges" not in scorer.meta and "cue_edges" not in scorer.meta


def test_shipped_artifact_was_trained_on_the_polnear_train_split() -> None:
    if not POLNEAR_TRAIN.is_dir():
        pytest.skip(f"PolNeAR train split not found at {POLNEAR_TRAIN} (../shared is absent)")
    assert load_learned_scorer().meta["train_data"] == data_fingerprint(POLNEAR_TRAIN)


def parsed(text: str, spacy_stage: StageFn) -> Article:
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    make_entities_stage(Settings())([art])
    return art


TEXT = (
    "Anna Koval said that the bridge was closed. The senator voted for the bill. "
    "“We will win,” Peter Marsh said."
)


def test_stage_uses_the_shipped_scorer_by_default(spacy_stage: StageFn) -> None:
    art = parsed(TEXT, spacy_stage)
    extract_attributions(art)
    default = [(s.start, s.end, s.attrs["rule"]) for s in art.layer("attributions")]
    extract_attributions(art, scorer=load_learned_scorer())
    assert default == [(s.start, s.end, s.attrs["rule"]) for s in art.layer("attributions")]
    assert AttributionOptions().scorer == "learned"


def test_rules_scorer_uses_no_open_rules(spacy_stage: StageFn) -> None:
    art = parsed(TEXT, spacy_stage)
    extract_attributions(art, options=AttributionOptions(scorer="rules"))
    rules = [s.attrs["rule"] for s in art.layer("attributions")]
    assert rules and not any(r.startswith("open-") for r in rules)


def test_unknown_scorer_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="scorer"):
        AttributionOptions(scorer="neural")


def test_train_command_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["train", "attribution", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_train_command_without_splits_fails_with_a_hint(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["train", "attribution", "--data", str(tmp_path), "--out", str(tmp_path / "x")]
    )
    assert result.exit_code != 0
    assert "train/" in result.output

"""`python -m paqa_dash.text.evaluate_themes`: how well each theme classifier does on the labelled
actions (`data/action_themes_labelled.csv`).

The labelled file comes in batches (`split`): `tuning` was in view while lexicon v1 was written;
`freshN` was written after version N of the lexicon was frozen and scored once before any change.
So the honest figures are:
- lexicon: its accuracy on each fresh batch (the latest batch = the current lexicon);
- model: "forward" accuracy -- trained only on the batches before a fresh batch, tested on it --
  and 5-fold cross-validated accuracy over all labelled actions.
Accuracy on `tuning` is reported too, but only as a regression guard: it is optimistic by design.
"""
from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd

from . import lexicons, themes


def confusion(gold: pd.Series, predicted: pd.Series) -> pd.DataFrame:
    """Counts of gold (rows) against predicted (columns) theme."""
    gold, predicted = pd.Series(list(gold)), pd.Series(list(predicted))
    labels = list(themes.THEMES) + ([themes.UNCLASSIFIED] if (predicted == themes.UNCLASSIFIED).any() else [])
    table = pd.crosstab(pd.Categorical(gold, categories=list(themes.THEMES)),
                        pd.Categorical(predicted, categories=labels), dropna=False)
    table.index.name, table.columns.name = "gold", "predicted"
    return table


def _accuracy(gold, predicted) -> float:
    return float(np.mean(np.asarray(list(gold)) == np.asarray(list(predicted))))


def evaluate(labelled: pd.DataFrame | None = None, folds: int = 5, seed: int = 0, with_model: bool = True) -> dict:
    """Accuracy figures and confusion matrices for the lexicon (always) and the model (optional)."""
    data = lexicons.labelled_themes() if labelled is None else labelled
    splits = list(dict.fromkeys(data["split"]))
    fresh = [s for s in splits if s.startswith("fresh")]
    lex = themes.classify(list(data["action_text"]), method="lexicon")["theme"]
    result: dict = {"n": int(len(data)), "splits": splits, "lexicon_accuracy": _accuracy(data["theme"], lex)}
    for split in splits:
        mask = (data["split"] == split).to_numpy()
        result[f"n_{split}"] = int(mask.sum())
        result[f"lexicon_accuracy_{split}"] = _accuracy(data["theme"][mask], lex[mask])
    fresh_mask = data["split"].isin(fresh).to_numpy()
    result["lexicon_confusion_fresh"] = confusion(data["theme"][fresh_mask], lex[fresh_mask])
    result["confusion"] = confusion(data["theme"], lex)
    if not with_model:
        return result

    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    for i, split in enumerate(splits):
        if not split.startswith("fresh"):
            continue
        train = data[data["split"].isin(splits[:i])]
        test = data[data["split"] == split]
        model = themes.fit_model(list(train["action_text"]), list(train["theme"]))
        predicted = [r["theme"] for r in themes.model_classify(list(test["action_text"]), model)]
        result[f"model_forward_accuracy_{split}"] = _accuracy(test["theme"], predicted)
        meaning_model = themes.MeaningThemeModel().fit(list(train["action_text"]), list(train["theme"]))
        result[f"meaning_forward_accuracy_{split}"] = _accuracy(test["theme"],
                                                                meaning_model.predict(list(test["action_text"])))
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        cv_pred = cross_val_predict(themes.make_model(), list(data["action_text"]), list(data["theme"]), cv=cv)
    per_fold = [_accuracy(data["theme"].iloc[te], cv_pred[te]) for _, te in cv.split(data["action_text"], data["theme"])]
    result["model_cv_accuracy"] = _accuracy(data["theme"], cv_pred)
    result["model_cv_sd"] = float(np.std(per_fold))
    result["model_confusion_cv"] = confusion(data["theme"], cv_pred)
    meaning_pred = np.empty(len(data), dtype=object)
    for tr, te in cv.split(data["action_text"], data["theme"]):
        fitted = themes.MeaningThemeModel().fit(list(data["action_text"].iloc[tr]), list(data["theme"].iloc[tr]))
        meaning_pred[te] = fitted.predict(list(data["action_text"].iloc[te]))
    result["meaning_cv_accuracy"] = _accuracy(data["theme"], meaning_pred)
    result["confusion"] = result["model_confusion_cv"] if themes.DEFAULT_METHOD == "model" else result["confusion"]
    return result


def _print_table(title: str, table: pd.DataFrame) -> None:
    print(f"\n{title}")
    with pd.option_context("display.width", 220, "display.max_columns", 20):
        print(table.to_string())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-model", action="store_true", help="lexicon only (no scikit-learn)")
    parser.add_argument("--errors", action="store_true", help="list the actions the default method gets wrong")
    parser.add_argument("--split", help="with --errors: only this batch (tuning, fresh1, fresh2 ...)")
    args = parser.parse_args(argv)
    r = evaluate(with_model=not args.no_model)
    if args.json:
        out = {k: v for k, v in r.items() if not isinstance(v, pd.DataFrame)}
        for k, v in r.items():
            if isinstance(v, pd.DataFrame):
                out[k] = {g: {p: int(n) for p, n in row.items()} for g, row in v.iterrows()}
        print(json.dumps(out, indent=2))
        return 0
    batches = ", ".join(f"{s} {r['n_' + s]}" for s in r["splits"])
    print(f"Labelled actions: {r['n']} ({batches})")
    print(f"Default method: {themes.DEFAULT_METHOD}\n")
    print(f"{'batch':10s} {'lexicon':>8s} {'model (trained on earlier batches)':>36s} {'meaning model':>14s}")
    for s in r["splits"]:
        model = r.get("model_forward_accuracy_" + s)
        model_text = "" if model is None else f"{model:.1%}"
        meaning = r.get("meaning_forward_accuracy_" + s)
        model_text += "" if meaning is None else f" {meaning:14.1%}"
        fresh = [b for b in r["splits"] if b.startswith("fresh")]
        note = ("  lexicon: in view while it was written" if s == "tuning" else
                "  lexicon: used to write a later version (scored before that: see docs)" if s != fresh[-1] else
                "  <- honest estimate for the current lexicon")
        print(f"{s:10s} {r['lexicon_accuracy_' + s]:8.1%} {model_text:>36s}{note}")
    if "model_cv_accuracy" in r:
        print(f"\nModel, {5}-fold cross-validation over all {r['n']}: {r['model_cv_accuracy']:.1%} "
              f"(sd across folds {r['model_cv_sd']:.1%}); meaning model (default): {r['meaning_cv_accuracy']:.1%}")
        _print_table("Model confusion matrix, cross-validated (rows gold, columns predicted):",
                     r["model_confusion_cv"])
    _print_table("Lexicon confusion matrix on the fresh batches (rows gold, columns predicted):",
                 r["lexicon_confusion_fresh"])
    if args.errors:
        data = lexicons.labelled_themes()
        pred = themes.classify(list(data["action_text"]))
        print(f"\nMisclassified by the default method ({themes.DEFAULT_METHOD}, trained on all labelled actions):")
        for rec, got in zip(data.to_dict("records"), pred.to_dict("records")):
            if got["theme"] != rec["theme"] and (args.split is None or rec["split"] == args.split):
                print(f"- [{rec['split']}] {rec['action_text']}\n    gold {rec['theme']}; got {got['theme']}: "
                      f"{got['evidence'] or 'no known word'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

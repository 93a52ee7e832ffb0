"""`python -m paqa_dash.text.evaluate_themes`: accuracy and confusion matrix of the theme classifier
on the labelled set (`data/action_themes_labelled.csv`), overall, on the `tuning` actions (in view
while the lexicon was written) and on each `freshN` batch (written after lexicon version N was frozen;
the last batch is the honest estimate of the current lexicon), beside a cross-validated scikit-learn baseline."""
from __future__ import annotations

import argparse
import json

import pandas as pd

from . import lexicons, themes


def confusion(gold: pd.Series, predicted: pd.Series) -> pd.DataFrame:
    labels = list(themes.THEMES) + ([themes.UNCLASSIFIED] if (predicted == themes.UNCLASSIFIED).any() else [])
    table = pd.crosstab(pd.Categorical(gold, categories=list(themes.THEMES)),
                        pd.Categorical(predicted, categories=labels), dropna=False)
    table.index.name, table.columns.name = "gold", "predicted"
    return table


def evaluate(labelled: pd.DataFrame | None = None, folds: int = 5, seed: int = 0, with_model: bool = True) -> dict:
    """Accuracy of the lexicon (all, dev, holdout) and the CV accuracy of the sklearn baseline."""
    data = lexicons.labelled_themes() if labelled is None else labelled
    pred = themes.classify(list(data["action_text"]))["theme"]
    correct = pred.to_numpy() == data["theme"].to_numpy()
    result = {
        "n": int(len(data)),
        "lexicon_accuracy": float(correct.mean()),
        "confusion": confusion(data["theme"].reset_index(drop=True), pred),
    }
    if "split" in data:
        result["splits"] = list(dict.fromkeys(data["split"]))  # in file order: tuning, fresh1, fresh2 ...
        for split in result["splits"]:
            mask = (data["split"] == split).to_numpy()
            result[f"lexicon_accuracy_{split}"] = float(correct[mask].mean())
            result[f"n_{split}"] = int(mask.sum())
    if not with_model:
        return result
    try:
        from sklearn.model_selection import StratifiedKFold, cross_val_score
        model = themes.make_model()
        cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        scores = cross_val_score(model, list(data["action_text"]), list(data["theme"]), cv=cv)
        result["model_cv_accuracy"] = float(scores.mean())
        result["model_cv_sd"] = float(scores.std())
    except ImportError:  # scikit-learn is optional for the lexicon itself
        pass
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", action="store_true", help="list the misclassified actions")
    parser.add_argument("--split", help="with --errors: only this split (tuning, fresh1, fresh2)")
    args = parser.parse_args(argv)
    r = evaluate()
    if args.json:
        out = {k: v for k, v in r.items() if k != "confusion"}
        out["confusion"] = {g: {p: int(n) for p, n in row.items()} for g, row in r["confusion"].iterrows()}
        print(json.dumps(out, indent=2))
        return 0
    print(f"Labelled actions: {r['n']}")
    print(f"Lexicon accuracy, all:     {r['lexicon_accuracy']:.1%}")
    for split in r.get("splits", []):
        print(f"Lexicon accuracy, {split + ':':8s} {r[f'lexicon_accuracy_{split}']:.1%} (n={r[f'n_{split}']})")
    if "model_cv_accuracy" in r:
        print(f"TF-IDF + logistic regression, 5-fold CV: {r['model_cv_accuracy']:.1%} "
              f"(sd {r['model_cv_sd']:.1%})")
    print("\nConfusion matrix (rows gold, columns predicted):")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(r["confusion"].to_string())
    if args.errors:
        data = lexicons.labelled_themes()
        pred = themes.classify(list(data["action_text"]))
        for rec, got in zip(data.to_dict("records"), pred.to_dict("records")):
            if got["theme"] != rec["theme"] and (args.split is None or rec["split"] == args.split):
                print(f"- [{rec['split']}] {rec['action_text']}\n    gold {rec['theme']}; got {got['theme']}: "
                      f"{got['evidence'] or 'no keyword matched'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

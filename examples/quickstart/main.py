"""Quickstart: a softmax classifier for the iris flowers, in plain Python (no libraries needed).

Hone passes the parameters it is tuning as environment variables (HONE_PARAM_<NAME>); without Hone the
defaults below apply. The script prints the test accuracy as `accuracy=0.93`, which is how Hone reads it.
"""
import csv
import json
import math
import os
import random

LEARNING_RATE = float(os.environ.get("HONE_PARAM_LEARNING_RATE", "0.002"))
EPOCHS = int(os.environ.get("HONE_PARAM_EPOCHS", "5"))
HERE = os.path.dirname(os.path.abspath(__file__))


def load():
    with open(os.path.join(HERE, "iris.csv")) as f:
        rows = list(csv.reader(f))[1:]  # the first line holds counts and class names
    data = [([float(v) for v in r[:4]], int(r[4])) for r in rows]
    random.Random(7).shuffle(data)
    test, train = data[:50], data[50:]
    # standardise with the training set's mean and spread
    means = [sum(x[i] for x, _ in train) / len(train) for i in range(4)]
    spreads = [math.sqrt(sum((x[i] - means[i]) ** 2 for x, _ in train) / len(train)) for i in range(4)]
    scale = lambda x: [(x[i] - means[i]) / spreads[i] for i in range(4)] + [1.0]
    return [(scale(x), y) for x, y in train], [(scale(x), y) for x, y in test]


def predict(weights, x):
    scores = [sum(w * v for w, v in zip(row, x)) for row in weights]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def accuracy(weights, data):
    hits = sum(1 for x, y in data if max(range(3), key=lambda k: predict(weights, x)[k]) == y)
    return hits / len(data)


def main():
    train, test = load()
    weights = [[0.0] * 5 for _ in range(3)]
    order = list(range(len(train)))
    shuffle = random.Random(1)
    for epoch in range(1, EPOCHS + 1):
        shuffle.shuffle(order)
        for i in order:
            x, y = train[i]
            p = predict(weights, x)
            for k in range(3):
                g = p[k] - (1.0 if k == y else 0.0)
                for j in range(5):
                    weights[k][j] -= LEARNING_RATE * g * x[j]
        print(f"epoch={epoch} accuracy={accuracy(weights, test):.4f}")
    acc = accuracy(weights, test)
    output = os.environ.get("HONE_OUTPUT")
    if output:
        with open(os.path.join(output, "model.json"), "w") as f:
            json.dump({"weights": weights, "learning_rate": LEARNING_RATE, "epochs": EPOCHS}, f)
    print(f"Test accuracy: {acc:.4f}")


if __name__ == "__main__":
    main()

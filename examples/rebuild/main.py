"""Two rings of points, told apart by logistic regression on polynomial features (plain Python).

The model's shape lives in the code: DEGREE (the capacity, "layers") and EPOCHS. Hone runs `rebuild.py`
after every trial that misses the target; it edits these two lines, so the next trial trains a bigger model
for longer. The learning rate comes from Hone (HONE_PARAM_LEARNING_RATE), as rebuild.py chose it.
"""
import json
import math
import os
import random

DEGREE = 1
EPOCHS = 3
LEARNING_RATE = float(os.environ.get("HONE_PARAM_LEARNING_RATE", "0.05"))


def rings(n, seed):
    rnd = random.Random(seed)
    points = []
    for i in range(n):
        label = i % 2
        radius = (1.0 if label == 0 else 2.0) + rnd.gauss(0, 0.15)
        angle = rnd.uniform(0, 2 * math.pi)
        points.append(((radius * math.cos(angle), radius * math.sin(angle)), label))
    return points


def features(point):
    x, y = point
    out = [1.0]
    for d in range(1, DEGREE + 1):
        for k in range(d + 1):
            out.append((x ** (d - k)) * (y ** k))
    return out


def prob(w, f):
    z = sum(a * b for a, b in zip(w, f))
    return 1 / (1 + math.exp(-max(min(z, 30), -30)))


def main():
    train, test = rings(400, 1), rings(200, 2)
    w = [0.0] * len(features((0, 0)))
    for epoch in range(1, EPOCHS + 1):
        for point, label in train:
            f = features(point)
            g = prob(w, f) - label
            w = [wi - LEARNING_RATE * g * fi for wi, fi in zip(w, f)]
        acc = sum((prob(w, features(p)) > 0.5) == (l == 1) for p, l in test) / len(test)
        print(f"epoch={epoch} accuracy={acc:.4f}")
    output = os.environ.get("HONE_OUTPUT")
    if output:
        with open(os.path.join(output, "model.json"), "w") as f:
            json.dump({"degree": DEGREE, "weights": w}, f)
    print(f"degree={DEGREE} epochs={EPOCHS} learning_rate={LEARNING_RATE}")
    print(f"accuracy={acc:.4f}")


if __name__ == "__main__":
    main()

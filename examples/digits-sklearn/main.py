"""Handwritten digits with a support vector classifier (scikit-learn, dataset bundled with it).

Hone tunes C and gamma through HONE_PARAM_C and HONE_PARAM_GAMMA (or `{C}` / `{gamma}` in the command); it
reads the `accuracy=` line and keeps the model saved to $HONE_OUTPUT.
"""
import os
import pickle

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

C = float(os.environ.get("HONE_PARAM_C", "1.0"))
GAMMA = float(os.environ.get("HONE_PARAM_GAMMA", "0.01"))

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
model = SVC(C=C, gamma=GAMMA).fit(X_train, y_train)
accuracy = model.score(X_test, y_test)

output = os.environ.get("HONE_OUTPUT")
if output:
    with open(os.path.join(output, "model.pkl"), "wb") as f:
        pickle.dump(model, f)
print(f"C={C} gamma={GAMMA}")
print(f"accuracy={accuracy:.4f}")

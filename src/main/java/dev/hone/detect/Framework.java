package dev.hone.detect;

import java.util.Locale;

/** The ML framework a project trains with, from its imports. Ordered by precedence: the first that matches wins. */
public enum Framework {
    PYTORCH("torch"),
    TENSORFLOW("tensorflow", "keras"),
    XGBOOST("xgboost"),
    SKLEARN("sklearn"),
    PYTHON();

    private final String[] modules;

    Framework(String... modules) {
        this.modules = modules;
    }

    /** True when a top-level module name belongs to this framework. */
    boolean owns(String topLevelModule) {
        for (String m : modules) {
            if (m.equals(topLevelModule)) {
                return true;
            }
        }
        return false;
    }

    /** The word recorded on the run and shown to the user: "pytorch", "sklearn", "python". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

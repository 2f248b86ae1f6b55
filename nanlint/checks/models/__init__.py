"""Model-level checks (NAN1xx): a Keras model and its training set-up that make NaN/Inf likely. One file per rule,
named as its catalog entry (nanlint/rules/NAN1xx.yaml) names it."""

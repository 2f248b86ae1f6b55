"""Operation-level checks (NAN0xx): one computation whose value or gradient reaches NaN/Inf. One file per rule,
named as its catalog entry (nanlint/rules/NAN0xx.yaml) names it."""

# Django's Vietnamese formats set the separators ("." thousands, "," decimals) but no
# NUMBER_GROUPING, so grouped numbers (prices, counts) would come out ungrouped.
NUMBER_GROUPING = 3

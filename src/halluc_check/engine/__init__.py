"""The checker loop: one unit of text -> parsed, collected, checked by the selected rules,
suppressions applied -> a Result."""

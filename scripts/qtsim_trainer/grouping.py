"""Precision groups of a mini-batch, as qtsim's PrecisionGrouping (workloads/policy/README.md):
one group per distinct precision; tiers of equal precision merge; groups ordered by the lowest
tier index carrying their precision (hardest first); empty groups are skipped by the caller."""


class PrecisionGrouping:
    def __init__(self, tiers, class_tier):
        self.precisions, self.tier_group = [], []
        for tier in tiers:
            if tier.precision not in self.precisions:
                self.precisions.append(tier.precision)
            self.tier_group.append(self.precisions.index(tier.precision))
        self.class_group = [self.tier_group[t] for t in class_tier]

"""Plots: one module per measure, each a function from the scored tables to a matplotlib Figure.

Comparison figures take ``by`` (the grouping column, ``outlet`` by default), ``max_groups`` and
``min_size`` (:mod:`framing.compare`): each cell is a group's mean with its bootstrap interval and
article count (``groups.group_heatmap``).

- ``overview.actor_salience``: mentions per 1,000 words, group by actor;
- ``stance.stance_heatmap``: mean article stance, group by actor;
- ``blame.blame_shares``: mean blame share, group by actor; ``blame.who_blames_whom``: attributor by
  blamed actor over all articles;
- ``sourcing.sourcing_composition``: mean shares of attributions by source type, origin and form;
- ``framing_map.framing_map``: PCA of the article features, one point per article coloured by group,
  group centroids, loadings;
- ``evidence.evidence_view``: one article's coded sentences by family;
- ``frames.frame_prevalence``: share of articles using each generic news frame, group by frame;
- ``roles.role_shares``: shares of articles casting each actor as villain, hero, victim (three panels);
- ``wire.wire_shares``: shares of agency copy and of copies of an earlier article, by group;
- ``actor_groups.actor_group_panels``: stance, salience, blame share and roles toward the actors of each
  value of a codebook attribute (``party``), by group.

``tables`` writes the tables for papers (means and intervals per group; tests between groups);
``style`` holds what every figure shares (actor labels, sizes, captions, byte-reproducible saving);
``build`` draws everything into a folder with a manifest (``framing figures`` and ``make figures``).
"""

from .actor_groups import actor_group_panels
from .blame import blame_shares, who_blames_whom
from .evidence import evidence_view
from .frames import frame_prevalence
from .framing_map import framing_map
from .overview import actor_salience
from .roles import role_shares
from .sourcing import sourcing_composition
from .stance import stance_heatmap
from .wire import wire_shares

__all__ = ["actor_group_panels", "actor_salience", "blame_shares", "evidence_view", "frame_prevalence",
           "framing_map", "role_shares", "sourcing_composition", "stance_heatmap", "who_blames_whom",
           "wire_shares"]

"""Plots: one module per measure, each a function from the scored tables to a matplotlib Figure.

``overview.actor_salience`` draws actor salience by outlet. ``style`` holds what every figure
shares (one colour per actor, outlet and date labels, byte-reproducible saving); ``build`` draws
every figure into a folder with a manifest (``framing figures`` and ``make figures``).
"""

from .overview import actor_salience

__all__ = ["actor_salience"]

"""Evaluation against public annotated data: ``polnear`` (sourcing), ``newsmtsc`` (stance).

Each module reads a data set from a path it is given (never bundled), runs framing and a peer method
on the same texts in the same run, and returns the scores as a table.
"""

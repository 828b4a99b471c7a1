"""Plots and reports (scanpy's ``pl``): sketches drawn, the notebook's figures, model cards, the HTML explorer."""

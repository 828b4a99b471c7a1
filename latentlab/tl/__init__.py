"""Tools over a latent store (scanpy's ``tl``): projections, neighbours, interpolation, decodes, metrics."""
